"""Events of an organisation or a network group, gathered from relations the view prefetched.

The organisation and network-group pages belong to ``organisations``, which imports nothing
of ours; their views prefetch events through reverse relations by name, and these tags sort
what was fetched into upcoming and past events (published ones only) without more queries.
"""

from dataclasses import dataclass, field

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Event, Session

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

    Expects ``organised_events``, ``co_organised_events``, ``facilitated_sessions__event``
    and ``speakers__session__event`` to be prefetched.
    """
    rows = {}
    for event in organisation.organised_events.all():
        _row(rows, event).roles.append(ORGANISER)
    for event in organisation.co_organised_events.all():
        _row(rows, event).roles.append(CO_ORGANISER)
    for session in organisation.facilitated_sessions.all():
        _row(rows, session.event).add_session(session, _("facilitator"))
    for speaker in organisation.speakers.all():
        _row(rows, speaker.session.event).add_session(speaker.session, _("speaker"))
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
