"""Events as iCalendar (RFC 5545), in Europe/Amsterdam time with stable UIDs."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.http import HttpResponse

from peacenet.lib.links import absolute_url

from .models import Event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def uid_for(event: Event) -> str:
    """A UID that stays the same whatever changes in the event (the primary key never does)."""
    return f"event-{event.pk}@{urlsplit(settings.SITE_URL).hostname or 'peacenet'}"


def place_of(event: Event) -> str:
    return ", ".join(part for part in (event.venue, event.address, event.city) if part)


def component_for(event: Event) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", uid_for(event))
    component.add("dtstamp", event.updated.astimezone(datetime.UTC))
    component.add("last-modified", event.updated.astimezone(datetime.UTC))
    component.add("dtstart", event.start.astimezone(AMSTERDAM))
    component.add("dtend", event.end.astimezone(AMSTERDAM))
    component.add("summary", event.title)
    description = event.summary or event.description
    if description:
        component.add("description", description)
    if place := place_of(event):
        component.add("location", place)
    component.add("url", absolute_url(event.get_absolute_url()))
    component.add("status", "CONFIRMED")
    return component


def calendar_for(events, *, name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//PeaceNet The Hague//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    events = list(events)
    for event in events:
        calendar.add_component(component_for(event))
    if events:
        first = min(event.start for event in events).date() - datetime.timedelta(days=366)
        last = max(event.end for event in events).date() + datetime.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar


def ics_response(calendar: icalendar.Calendar, *, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
