"""Events added on the site (a member's submission for review, a network group's meeting
added by its facilitator), and registering to attend an event: places, the waiting list and
promotion from it.

Both functions lock the event row (``select_for_update``) for the length of one transaction,
so simultaneous sign-ups for the same event run one after the other and the confirmed count
never passes the capacity. One registration per person and event is a database constraint.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.models import NetworkGroup, Organisation
from peacenet.lib import history
from peacenet.lib.errors import DomainError
from peacenet.lib.slugs import unique_slug

from . import emails
from .models import Event, EventKind, Registration


def _create_event(*, details: dict, **fields) -> Event:
    """A new event with a slug of its own; two events with the same title saved at the same
    moment get different slugs (the unique constraint decides, the loser tries again)."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                slug = unique_slug(
                    details["title"],
                    queryset=Event.objects,
                    fallback="event",
                    under=reverse("events:list"),
                )
                return Event.objects.create(slug=slug, **details, **fields)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def submit_event(*, organisation: Organisation, by, details: dict) -> Event:
    """A member's event for ``organisation`` (published, one they are a member of), waiting
    for staff to review and publish it in the admin; staff are told."""
    if not (organisation.is_published and organisation.memberships.filter(user=by).exists()):
        raise PermissionDenied(_("Submit events for a published organisation of yours."))
    event = _create_event(
        details=details, organiser=organisation, submitted_by=by, is_published=False
    )
    history.record(user=by, obj=event, message=gettext_lazy("Submitted for review on the site."))
    emails.submitted(event=event)
    return event


@transaction.atomic
def add_group_meeting(*, group: NetworkGroup, by, details: dict) -> Event:
    """A meeting of ``group`` added by its facilitator (or staff): published at once, with
    the facilitating organisation as organiser; staff may hide it in the admin."""
    may, organisation = group.posting_organisation_for(by)
    if not may:
        raise PermissionDenied(_("Only the facilitators of this group may do this."))
    event = _create_event(
        details=details,
        kind=EventKind.NETWORK_MEETING,
        organiser=organisation,
        submitted_by=by,
        is_published=True,
    )
    event.network_groups.add(group)
    history.record(
        user=by,
        obj=event,
        message=gettext_lazy("Added as a meeting of %(group)s by a facilitator."),
        values={"group": group.name},
    )
    return event


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def register(*, event: Event, user) -> Registration:
    """Give the user a place, or a place on the waiting list when the event is full.

    Registering again while registered changes nothing; registering after cancelling goes to
    the end of the queue.
    """
    event = _lock_event(event)
    if not event.takes_registrations:
        raise DomainError(_("This event does not take registrations."))
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration and registration.status != Registration.Status.CANCELLED:
        return registration
    taken = event.registrations.confirmed().count()
    status = (
        Registration.Status.CONFIRMED if taken < event.capacity else Registration.Status.WAITING
    )
    if registration is None:
        registration = Registration.objects.create(event=event, user=user, status=status)
    else:
        registration.status = status
        registration.registered_at = timezone.now()
        registration.save(update_fields=["status", "registered_at", "updated"])
    _record(
        registration=registration,
        by=user,
        message=gettext_lazy("%(person)s registered (%(status)s)."),
    )
    return registration


def _record(*, registration: Registration, by, message) -> None:
    """A change of a registration, in its event's history."""
    history.record(
        user=by,
        obj=registration.event,
        message=message,
        values={
            "person": registration.user.name_and_address,
            "status": Registration.Status(registration.status).label,
        },
        flag=history.CHANGE,
    )


@transaction.atomic
def cancel_registration(*, event: Event, user) -> Registration | None:
    """Cancel the user's registration; a freed place goes to the first on the waiting list.

    Returns the registration that was promoted, if any.
    """
    event = _lock_event(event)
    if event.start <= timezone.now():
        raise DomainError(_("This event has started; registrations can no longer change."))
    registration = Registration.objects.active().filter(event=event, user=user).first()
    if registration is None:
        raise DomainError(_("You are not registered for this event."))
    freed_a_place = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated"])
    _record(registration=registration, by=user, message=gettext_lazy("%(person)s cancelled."))
    if not freed_a_place:
        return None
    promoted = _promote_waiting(event, by=user)
    return promoted[0] if promoted else None


@transaction.atomic
def fill_free_places(*, event: Event, by) -> list[Registration]:
    """Give places that are free (after ``by`` raised the capacity) to the waiting list."""
    return _promote_waiting(_lock_event(event), by=by)


def _promote_waiting(event: Event, *, by) -> list[Registration]:
    """Fill free places from the waiting list, first in line first, and mail each person;
    the history names ``by``, whose change freed the places.

    The caller holds the lock on the event row.
    """
    if event.capacity is None:
        return []
    free = event.capacity - event.registrations.confirmed().count()
    promoted = list(event.registrations.waiting().select_related("event", "user")[: max(free, 0)])
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated"])
        _record(
            registration=registration,
            by=by,
            message=gettext_lazy("%(person)s moved from the waiting list to a place."),
        )
        emails.promoted(registration=registration)
    return promoted
