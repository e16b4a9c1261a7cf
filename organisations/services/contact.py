"""Contact messages to an organisation, and reports of their abuse.

A message goes to the organisation's owners. An organisation without owners (most entries
staff pre-loaded) is reached through staff: they get the message in the admin and by mail,
and pass it on in one action, either forwarded to the organisation's own email address or
together with an invitation to claim its entry. The sender always gets a copy.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails
from ..models import ContactMessage, Organisation
from .claims import claimable
from .errors import DomainError

NO_STAFF = "Nobody on the staff has an email address; the message waits in the admin."


def through_staff(organisation: Organisation) -> bool:
    """Whether messages to the organisation go through staff: it has no active owner."""
    return not emails.owners(organisation)


def send_contact_message(*, organisation: Organisation, sender, subject: str, body: str):
    """Mail a message to the organisation's owners, or to staff when it has none, without
    showing the sender any of their addresses; the sender gets a copy.

    The message is stored and its mail queued in one transaction; ``delivered_at`` is when
    it was handed to the mail queue, whose worker delivers it (and tries again while the mail
    server is away; failures show among the admin's task results).
    """
    owners = emails.owners(organisation)
    recipients = owners or emails.staff()
    with transaction.atomic():
        message = ContactMessage.objects.create(
            organisation=organisation,
            sender=sender,
            subject=subject,
            body=body,
            via_staff=not owners,
            recipient_count=len(recipients),
            delivered_at=timezone.now() if recipients else None,
            delivery_error="" if recipients else NO_STAFF,
        )
        if owners:
            emails.contact_message(message=message, recipients=owners)
        else:
            emails.contact_for_staff(message=message, recipients=recipients)
        emails.contact_copy(message=message)
    return message


def pass_on_contact_message(*, message: ContactMessage, how: str, by) -> ContactMessage:
    """Staff pass a message for an organisation without owners on to the organisation's own
    email address: forwarded as it is, or with an invitation to claim the entry
    (``ContactMessage.PassedOn``). Each message is passed on once."""
    with transaction.atomic():
        message = (
            ContactMessage.objects.select_for_update(of=("self",))
            .select_related("organisation", "sender")
            .get(pk=message.pk)
        )
        organisation = message.organisation
        if message.passed_on_at is not None:
            raise DomainError(
                _("“%(subject)s” was already passed on.") % {"subject": message.subject}
            )
        if not organisation.email:
            raise DomainError(
                _("%(name)s has no email address to pass “%(subject)s” on to.")
                % {"name": organisation.name, "subject": message.subject}
            )
        if how == ContactMessage.PassedOn.CLAIM_INVITATION and not claimable(organisation):
            raise DomainError(
                _("%(name)s already has members; forward the message instead.")
                % {"name": organisation.name}
            )
        message.passed_on = ContactMessage.PassedOn(how)
        message.passed_on_at = timezone.now()
        message.passed_on_by = by
        message.save(update_fields=["passed_on", "passed_on_at", "passed_on_by"])
        emails.contact_passed_on(
            message=message,
            invite_to_claim=how == ContactMessage.PassedOn.CLAIM_INVITATION,
        )
    return message


def report_contact_message(*, message: ContactMessage, by, reason: str) -> ContactMessage:
    """A recipient reports a contact message as abuse; staff are told."""
    with transaction.atomic():
        message.reported_at = timezone.now()
        message.reported_by = by
        message.report_reason = reason
        message.save(update_fields=["reported_at", "reported_by", "report_reason"])
        emails.contact_reported(message=message, reason=reason)
    return message
