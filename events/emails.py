"""The events' mails, one function each (rendered and sent by ``peacenet.lib.mail`` from
``templates/events/email/``, in the recipient's language, once the transaction commits)."""

from organisations.emails import staff
from peacenet.lib import mail
from peacenet.lib.links import admin_change_url


def promoted(*, registration) -> None:
    """Tell someone on the waiting list that a place became free and is theirs."""
    mail.send(
        template="events/email/promoted",
        to=registration.user,
        context={"event": registration.event, "registration": registration},
    )


def submitted(*, event) -> None:
    """Tell staff that a member submitted an event for review."""
    mail.send(
        template="events/email/submitted",
        to=staff(),
        context={"event": event, "admin_url": admin_change_url(event)},
    )
