"""Contact messages to an organisation, and reports of their abuse."""

from django.db import transaction
from django.utils import timezone

from .. import emails
from ..models import ContactMessage, Organisation

NO_RECIPIENT = "The organisation has no owner or contact address."


def send_contact_message(*, organisation: Organisation, sender, subject: str, body: str):
    """Mail a message to the organisation without showing the sender any of its addresses.

    The message is stored and its mail queued in one transaction; ``delivered_at`` is when
    it was handed to the mail queue, whose worker delivers it (and tries again while the mail
    server is away; failures show among the admin's task results). An organisation without
    owners or an address cannot be reached: the message is kept with that reason.
    """
    recipients = emails.contact_recipients(organisation)
    with transaction.atomic():
        message = ContactMessage.objects.create(
            organisation=organisation,
            sender=sender,
            subject=subject,
            body=body,
            recipient_count=len(recipients),
            delivered_at=timezone.now() if recipients else None,
            delivery_error="" if recipients else NO_RECIPIENT,
        )
        emails.contact_message(message=message, recipients=recipients)
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
