"""The partnerships' mails, one function each, to the members of the organisations concerned.

``peacenet.lib.mail`` renders ``templates/partnerships/email/<name>_subject.txt`` and
``<name>.txt`` in each member's language and sends them once the transaction commits.
"""

from django.contrib.auth import get_user_model

from peacenet.lib import mail


def members(organisations) -> list:
    """The active members of ``organisations``, each once."""
    return list(
        get_user_model()
        .objects.filter(memberships__organisation__in=organisations, is_active=True)
        .distinct()
        .order_by("email")
    )


def invitation(*, proposal, lead, organisations) -> None:
    """Invite the members of ``organisations`` to take part in an open proposal."""
    mail.send(
        template="partnerships/email/invitation",
        to=members(organisations),
        context={"proposal": proposal, "lead": lead},
    )


def answer(*, proposal, participant, lead) -> None:
    """Tell the lead an invited organisation accepted or declined."""
    mail.send(
        template="partnerships/email/answer",
        to=members([lead]),
        context={"proposal": proposal, "participant": participant},
    )


def interest(*, proposal, participant, lead) -> None:
    """Tell the lead an organisation asks to join their open call."""
    mail.send(
        template="partnerships/email/interest",
        to=members([lead]),
        context={"proposal": proposal, "participant": participant},
    )


def interest_decided(*, proposal, participant) -> None:
    """Tell an organisation that asked to join what the lead decided."""
    mail.send(
        template="partnerships/email/interest_decided",
        to=members([participant.organisation]),
        context={"proposal": proposal, "participant": participant},
    )


def withdrawn(*, proposal, lead, partners, note) -> None:
    mail.send(
        template="partnerships/email/withdrawn",
        to=members(partners),
        context={"proposal": proposal, "lead": lead, "note": note},
    )


def hidden(*, proposal, lead, reason) -> None:
    """Tell the lead's members why the moderators hid their proposal."""
    mail.send(
        template="partnerships/email/hidden",
        to=members([lead]),
        context={"proposal": proposal, "reason": reason},
    )


def progress_reminder(*, proposal, lead, due) -> None:
    """Ask the lead's members for the partnership's progress report due on ``due``."""
    mail.send(
        template="partnerships/email/progress_reminder",
        to=members([lead]),
        context={"proposal": proposal, "lead": lead, "due": due},
    )
