"""Events of an organisation or a network group, gathered from relations the view prefetched.

The organisation and network-group pages belong to ``organisations``, which imports nothing
of ours; their Events sections call these tags, which sort an organisation's or group's events
into upcoming and past (published ones only) at a fixed number of queries.
"""

from dataclasses import dataclass, field

from django import template
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Event, Registration, Session, Speaker

register = template.Library()

ORGANISER = _("organiser")
CO_ORGANISER = _("co-organiser")


@dataclass
class EventRow:
    event: Event
    roles: list = field(default_factory=list)
    sessions: list = field(default_factory=list)

    def add_session(self, session: Session, role):
        if session not in self.sessions:
            self.sessions.append(session)
        if role not in self.roles:
            self.roles.append(role)


@dataclass
class EventRows:
    upcoming: list
    past: list

    def __bool__(self):
        return bool(self.upcoming or self.past)


def _split(rows):
    now = timezone.now()
    published = [row for row in rows.values() if row.event.is_published]
    upcoming = sorted((r for r in published if r.event.end >= now), key=lambda r: r.event.start)
    past = sorted(
        (r for r in published if r.event.end < now), key=lambda r: r.event.start, reverse=True
    )
    return EventRows(upcoming=upcoming, past=past)


def _row(rows, event):
    return rows.setdefault(event.pk, EventRow(event=event))


@register.simple_tag
def organisation_events(organisation):
    """Events the organisation organised, co-organised, facilitated a session of or spoke at.

    Two queries whatever the numbers: the events it (co-)organised, and the sessions it
    facilitated or spoke in, with their events.
    """
    rows = {}
    events = (
        Event.objects.published()
        .filter(Q(organiser=organisation) | Q(co_organisations__organisation=organisation))
        .distinct()
    )
    for event in events:
        role = ORGANISER if event.organiser_id == organisation.pk else CO_ORGANISER
        _row(rows, event).roles.append(role)
    sessions = (
        Session.objects.filter(event__in=Event.objects.published())
        .filter(Q(facilitator=organisation) | Q(speakers__organisation=organisation))
        .annotate(
            spoke=Exists(Speaker.objects.filter(session=OuterRef("pk"), organisation=organisation))
        )
        .select_related("event")
        .distinct()
    )
    for session in sessions:
        if session.facilitator_id == organisation.pk:
            _row(rows, session.event).add_session(session, _("facilitator"))
        if session.spoke:
            _row(rows, session.event).add_session(session, _("speaker"))
    return _split(rows)


@register.simple_tag
def group_events(group):
    """Events of a network group: tagged with it, or with a session (breakout) of it.

    Expects ``events`` and ``sessions__event`` to be prefetched.
    """
    rows = {}
    for event in group.events.all():
        _row(rows, event)
    for session in group.sessions.all():
        _row(rows, session.event).add_session(session, session.get_kind_display())
    return _split(rows)


@register.simple_tag
def events_attended_by(user):
    """The published, upcoming events ``user`` has a place at or waits for, soonest first
    (one query)."""
    return (
        Registration.objects.active()
        .filter(user=user, event__in=Event.objects.published().upcoming())
        .select_related("event")
        .order_by("event__start", "event__pk")
    )
