"""The mails of the organisations app, one function each.

Each names its recipients and context; ``peacenet.lib.mail`` renders
``templates/organisations/email/<name>_subject.txt`` and ``<name>.txt`` in each recipient's
language and sends them once the transaction commits.
"""

from django.conf import settings
from django.contrib.auth import get_user_model

from peacenet.lib import mail
from peacenet.lib.links import admin_change_url

from .models import Confirmation, ContactMessage, Membership, Organisation


def staff() -> list:
    """Staff who review: the configured addresses, else every active staff member."""
    if settings.STAFF_NOTIFICATION_EMAILS:
        return list(settings.STAFF_NOTIFICATION_EMAILS)
    return list(get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email=""))


def owners(organisation: Organisation) -> list:
    return [
        membership.user
        for membership in organisation.memberships.filter(
            role=Membership.Role.OWNER, user__is_active=True
        )
        .select_related("user")
        .order_by("user__email")
    ]


def registered(*, organisation: Organisation, by, resubmitted: bool) -> None:
    """Tell staff an organisation waits for review."""
    mail.send(
        template="organisations/email/registered_staff",
        to=staff(),
        context={
            "organisation": organisation,
            "by": by,
            "resubmitted": resubmitted,
            "admin_url": admin_change_url(organisation),
        },
    )


def moderated(*, organisation: Organisation, reason: str) -> None:
    """Tell the owners their organisation was published, rejected or archived."""
    mail.send(
        template=f"organisations/email/moderation_{organisation.status}",
        to=owners(organisation),
        context={"organisation": organisation, "reason": reason},
    )


def editor_invitation(*, invitation, by, token: str, days: int) -> None:
    mail.send(
        template="organisations/email/editor_invitation",
        to=invitation.email,
        context={
            "organisation": invitation.organisation,
            "by": by,
            "token": token,
            "days": days,
        },
    )


def made_owner(*, membership: Membership, by) -> None:
    """Tell someone they were made an owner of an organisation."""
    mail.send(
        template="organisations/email/made_owner",
        to=membership.user,
        context={"organisation": membership.organisation, "by": by},
    )


def claim_requested(*, claim) -> None:
    mail.send(
        template="organisations/email/claim_staff",
        to=staff(),
        context={
            "claim": claim,
            "organisation": claim.organisation,
            "admin_url": admin_change_url(claim),
        },
    )


def claim_decided(*, claim, note: str) -> None:
    mail.send(
        template=f"organisations/email/claim_{claim.status}",
        to=claim.user,
        context={"claim": claim, "organisation": claim.organisation, "note": note},
    )


def contact_message(*, message: ContactMessage, recipients: list) -> None:
    """Pass a visitor's message on; the organisation replies straight to the sender."""
    mail.send(
        template="organisations/email/contact_message",
        to=recipients,
        context={
            "message": message,
            "organisation": message.organisation,
            "sender": message.sender,
        },
        reply_to=[message.sender.email],
    )


def contact_for_staff(*, message: ContactMessage, recipients: list) -> None:
    """A message for an organisation without owners: staff pass it on from the admin."""
    mail.send(
        template="organisations/email/contact_staff",
        to=recipients,
        context={
            "message": message,
            "organisation": message.organisation,
            "sender": message.sender,
            "admin_url": admin_change_url(message),
        },
        reply_to=[message.sender.email],
    )


def contact_copy(*, message: ContactMessage) -> None:
    """The sender's copy of what they sent, and who it went to."""
    mail.send(
        template="organisations/email/contact_copy",
        to=[message.sender],  # a list: the sender may be a request's lazy user
        context={"message": message, "organisation": message.organisation},
    )


def contact_passed_on(*, message: ContactMessage, invite_to_claim: bool) -> None:
    """Staff pass a message on to the organisation's own address, perhaps inviting it to
    claim its entry; the organisation replies straight to the sender."""
    mail.send(
        template="organisations/email/contact_passed_on",
        to=message.organisation.email,
        context={
            "message": message,
            "organisation": message.organisation,
            "sender": message.sender,
            "invite_to_claim": invite_to_claim,
        },
        reply_to=[message.sender.email],
    )


def contact_reported(*, message: ContactMessage, reason: str) -> None:
    mail.send(
        template="organisations/email/abuse_staff",
        to=staff(),
        context={"message": message, "reason": reason, "admin_url": admin_change_url(message)},
    )


def confirmation_request(
    *, organisation: Organisation, recipient, token: str, days: int, reminder
) -> None:
    """Ask an owner or editor to confirm the organisation's details with a link of their own
    (one click, no sign-in)."""
    mail.send(
        template="organisations/email/confirmation_request",
        to=recipient,
        context={
            "organisation": organisation,
            "recipient": recipient,
            "token": token,
            "days": days,
            "reminder": reminder,
            "stale_after_months": Confirmation.STALE_AFTER_MONTHS,
        },
    )
