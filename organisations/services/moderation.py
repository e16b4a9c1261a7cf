"""Staff publish, reject or archive organisations; the owners are told why."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacenet.lib import history

from .. import emails
from ..models import Organisation
from .errors import DomainError

# What the history says of each decision, without and with a reason.
MODERATED = {
    Organisation.Status.PUBLISHED: gettext_lazy("Published."),
    Organisation.Status.REJECTED: gettext_lazy("Rejected."),
    Organisation.Status.ARCHIVED: gettext_lazy("Archived."),
}
MODERATED_BECAUSE = {
    Organisation.Status.REJECTED: gettext_lazy("Rejected: %(reason)s"),
    Organisation.Status.ARCHIVED: gettext_lazy("Archived: %(reason)s"),
}


def _moderate(*, organisations: Iterable[Organisation], by, status: str, reason: str) -> int:
    changed = 0
    with transaction.atomic():
        for organisation in organisations:
            organisation.status = status
            organisation.status_reason = reason
            organisation.moderated_by = by
            organisation.moderated_at = timezone.now()
            if status == Organisation.Status.PUBLISHED:
                # Details never confirmed count from here (``Organisation.confirmed_since``).
                organisation.published_at = organisation.moderated_at
            organisation.save()
            history.record(
                user=by,
                obj=organisation,
                message=MODERATED_BECAUSE[status] if reason else MODERATED[status],
                values={"reason": reason},
                flag=history.CHANGE,
            )
            changed += 1
            emails.moderated(organisation=organisation, reason=reason)
    return changed


def publish(*, organisations: Iterable[Organisation], by) -> int:
    """Publish organisations and tell their owners. Returns how many were published."""
    return _moderate(
        organisations=organisations, by=by, status=Organisation.Status.PUBLISHED, reason=""
    )


def reject(*, organisations: Iterable[Organisation], by, reason: str) -> int:
    """Reject organisations with a reason that is mailed to their owners."""
    if not reason.strip():
        raise DomainError(_("Give a reason: it is sent to the owners."))
    return _moderate(
        organisations=organisations, by=by, status=Organisation.Status.REJECTED, reason=reason
    )


def archive(*, organisations: Iterable[Organisation], by, reason: str = "") -> int:
    """Take organisations out of the directory without deleting them."""
    return _moderate(
        organisations=organisations, by=by, status=Organisation.Status.ARCHIVED, reason=reason
    )
