"""The events' mails, one function each (rendered and sent by ``peacenet.lib.mail`` from
``templates/events/email/``, in the recipient's language, once the transaction commits)."""

from peacenet.lib import mail


def promoted(*, registration) -> None:
    """Tell someone on the waiting list that a place became free and is theirs."""
    mail.send(
        template="events/email/promoted",
        to=registration.user,
        context={"event": registration.event, "registration": registration},
    )
