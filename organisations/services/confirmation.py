"""Keeping entries confirmed: reminders with a one-click link, and confirming by that link.

``send_reminders`` mails the owners and editors of each published organisation that has gone
12, 13 and 14 months without being confirmed (``Confirmation.REMINDER_MONTHS``), once per
stage; ``ask_to_confirm`` is staff asking at once. Each recipient gets a link of their own
(``confirmation_token``): signed for this purpose, bound to the reminder and the recipient,
valid ``LINK_MAX_AGE``. ``confirm_by_link`` confirms through it, once, without signing in.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import emails
from ..models import (
    Confirmation,
    ConfirmationReminder,
    Membership,
    Organisation,
    months_before,
)
from .errors import DomainError
from .registration import confirm_current

LINK_SALT = "organisations.confirm-by-link"
LINK_MAX_AGE_DAYS = 60
LINK_MAX_AGE = LINK_MAX_AGE_DAYS * 24 * 3600


def confirmation_token(reminder: ConfirmationReminder, recipient) -> str:
    return signing.dumps({"r": reminder.pk, "u": recipient.pk}, salt=LINK_SALT, compress=True)


def _recipients(organisation: Organisation) -> list:
    """The active owners and editors of ``organisation`` (prefetched ``memberships`` with
    their ``user``), by address."""
    return sorted(
        (m.user for m in organisation.memberships.all() if m.user.is_active and m.user.email),
        key=lambda user: user.email,
    )


def _send(*, organisation, stage, recipients, requested_by=None) -> ConfirmationReminder:
    reminder = ConfirmationReminder.objects.create(
        organisation=organisation,
        stage=stage,
        confirmed_since=organisation.confirmed_since,
        recipient_count=len(recipients),
        requested_by=requested_by,
    )
    for recipient in recipients:
        emails.confirmation_request(
            organisation=organisation,
            recipient=recipient,
            token=confirmation_token(reminder, recipient),
            days=LINK_MAX_AGE_DAYS,
            reminder=reminder,
        )
    return reminder


def _with_members(organisations):
    return organisations.prefetch_related("memberships__user")


def due_stage(organisation: Organisation, today: datetime.date) -> int | None:
    """The latest reminder stage (months) ``organisation`` has reached today, if any."""
    reached = [
        months
        for months in Confirmation.REMINDER_MONTHS
        if organisation.confirmed_since <= months_before(today, months)
    ]
    return max(reached, default=None)


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Mail a confirmation reminder for each published organisation that reached a reminder
    stage it was not yet reminded at (for the day it counts as confirmed from). Idempotent:
    a second run sends nothing new. Returns how many organisations were reminded."""
    today = today or timezone.localdate()
    first = min(Confirmation.REMINDER_MONTHS)
    candidates = _with_members(
        Organisation.objects.published()
        .confirmed_before(months_before(today, first) + datetime.timedelta(days=1))
        .prefetch_related("confirmation_reminders")
    )
    reminded = 0
    for organisation in candidates.order_by("pk"):
        stage = due_stage(organisation, today)
        sent = {
            (reminder.confirmed_since, reminder.stage)
            for reminder in organisation.confirmation_reminders.all()
        }
        recipients = _recipients(organisation)
        if stage is None or (organisation.confirmed_since, stage) in sent or not recipients:
            continue
        try:
            with transaction.atomic():
                _send(organisation=organisation, stage=stage, recipients=recipients)
        except IntegrityError:
            continue  # Another run sent this stage a moment ago.
        reminded += 1
    return reminded


def ask_to_confirm(*, organisations: Iterable[Organisation], by) -> tuple[int, list]:
    """Staff ask the owners and editors of published ``organisations`` to confirm now.
    Returns how many were asked and the organisations nobody could be asked for (no
    members, or not published)."""
    asked, nobody = 0, []
    pks = [organisation.pk for organisation in organisations]
    with transaction.atomic():
        for organisation in _with_members(Organisation.objects.filter(pk__in=pks)):
            recipients = _recipients(organisation)
            if not organisation.is_published or not recipients:
                nobody.append(organisation)
                continue
            _send(
                organisation=organisation,
                stage=ConfirmationReminder.Stage.STAFF,
                recipients=recipients,
                requested_by=by,
            )
            asked += 1
    return asked, nobody


class LinkProblem(DomainError):
    """A confirmation link that cannot be used; ``message`` says why and what to do."""


def reminder_from_token(token: str, *, slug: str):
    """The reminder and the recipient a confirmation link is for, or ``LinkProblem``."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkProblem(
            _(
                "This link has expired: links to confirm are valid for %(days)d days. Sign in "
                "and press “Confirm this is still correct” on your organisation's page, or "
                "wait for the next reminder."
            )
            % {"days": LINK_MAX_AGE_DAYS}
        ) from None
    except signing.BadSignature:
        data = None
    reminder = recipient = None
    if isinstance(data, dict) and all(isinstance(data.get(key), int) for key in ("r", "u")):
        reminder = (
            ConfirmationReminder.objects.select_related("organisation", "used_by")
            .filter(pk=data["r"], organisation__slug=slug)
            .first()
        )
        recipient = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
    if reminder is None or recipient is None:
        raise LinkProblem(
            _(
                "This link is not valid. Copy the whole link from the email into your browser, "
                "or sign in and confirm on your organisation's page."
            )
        )
    return reminder, recipient


def check_link(*, reminder: ConfirmationReminder, recipient) -> None:
    """Raise ``LinkProblem`` if the link can no longer confirm anything."""
    organisation = reminder.organisation
    if reminder.used_at is not None:
        raise LinkProblem(
            _(
                "This link has already been used: the details of %(name)s were confirmed on "
                "%(date)s. There is nothing more to do."
            )
            % {"name": organisation.name, "date": _date(reminder.used_at)}
        )
    if not organisation.is_published:
        raise LinkProblem(
            _("%(name)s is no longer listed in the directory, so there is nothing to confirm.")
            % {"name": organisation.public_name}
        )
    if not Membership.objects.filter(organisation=organisation, user=recipient).exists():
        raise LinkProblem(
            _(
                "You are no longer an owner or editor of %(name)s, so this link does nothing. "
                "Its current members receive their own reminders."
            )
            % {"name": organisation.name}
        )


def _date(moment) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def confirm_by_link(*, reminder: ConfirmationReminder, recipient) -> Organisation:
    """Confirm the organisation's details for ``recipient`` through their link, once."""
    with transaction.atomic():
        reminder = (
            ConfirmationReminder.objects.select_for_update()
            .select_related("organisation")
            .get(pk=reminder.pk)
        )
        check_link(reminder=reminder, recipient=recipient)
        organisation = confirm_current(organisation=reminder.organisation, by=recipient)
        reminder.used_at = timezone.now()
        reminder.used_by = recipient
        reminder.save(update_fields=["used_at", "used_by"])
    return organisation
