"""Contact messages to an organisation, and reports of their abuse."""

import logging
import smtplib

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peacenet.lib.links import absolute_url, admin_change_url

from ..models import ContactMessage, Organisation
from .notify import owner_recipients, send_mail_after_commit, staff_recipients

logger = logging.getLogger(__name__)


def contact_recipients(organisation: Organisation) -> list[str]:
    """Owners receive contact messages; an organisation without owners at its own address."""
    return owner_recipients(organisation) or ([organisation.email] if organisation.email else [])


def send_contact_message(*, organisation: Organisation, sender, subject: str, body: str):
    """Mail a message to the organisation without showing the sender any of its addresses.

    The message is stored first, then sent; its delivery (or the error) is recorded on it.
    """
    with transaction.atomic():
        message = ContactMessage.objects.create(
            organisation=organisation, sender=sender, subject=subject, body=body
        )
    recipients = contact_recipients(organisation)
    context = {
        "message": message,
        "organisation": organisation,
        "sender": sender,
        "report_url": absolute_url(
            reverse(
                "organisations:report_message",
                kwargs={"slug": organisation.slug, "pk": message.pk},
            )
        ),
    }
    text = render_to_string("organisations/email/contact_message.txt", context)
    sent = 0
    try:
        for recipient in recipients:
            sent += EmailMessage(
                f"[PeaceNet] {subject}", text, to=[recipient], reply_to=[sender.email]
            ).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Contact message %s not delivered: %s", message.pk, error)
        message.delivery_error = str(error)[:250]
    message.recipient_count = sent
    if sent and sent == len(recipients):
        message.delivered_at = timezone.now()
    elif not recipients:
        message.delivery_error = "The organisation has no owner or contact address."
    message.save(update_fields=["recipient_count", "delivered_at", "delivery_error"])
    return message


def report_contact_message(*, message: ContactMessage, by, reason: str) -> ContactMessage:
    """A recipient reports a contact message as abuse; staff are told."""
    with transaction.atomic():
        message.reported_at = timezone.now()
        message.reported_by = by
        message.report_reason = reason
        message.save(update_fields=["reported_at", "reported_by", "report_reason"])
        send_mail_after_commit(
            template="abuse_staff",
            subject=_("Contact message reported as abuse"),
            to=staff_recipients(),
            context={
                "message": message,
                "reason": reason,
                "admin_url": admin_change_url(message),
            },
        )
    return message
