"""Who is told about a change to an organisation, and the mail sent once it commits."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from ..models import Membership, Organisation


def staff_recipients() -> list[str]:
    if settings.STAFF_NOTIFICATION_EMAILS:
        return list(settings.STAFF_NOTIFICATION_EMAILS)
    return list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def owner_recipients(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(role=Membership.Role.OWNER, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def send_mail_after_commit(*, template: str, subject: str, to: list[str], context: dict, **kw):
    """Render ``organisations/email/<template>.txt`` and send it once the transaction commits."""
    if not to:
        return
    body = render_to_string(f"organisations/email/{template}.txt", context)
    message = EmailMessage(f"[PeaceNet] {subject}", body, to=to, **kw)
    transaction.on_commit(message.send)
