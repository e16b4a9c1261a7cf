import datetime
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_event_ics_is_valid_icalendar_in_amsterdam_time(client):
    start = datetime.datetime(2030, 3, 14, 15, 0, tzinfo=AMSTERDAM)
    event = EventFactory(
        title="Gender network meeting",
        start=start,
        end=start + datetime.timedelta(hours=2),
        venue="Humanity House",
        city="The Hague",
    )

    response = client.get(reverse("events:ics", args=[event.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    [component] = calendar.walk("VEVENT")
    assert str(component["SUMMARY"]) == "Gender network meeting"
    assert component.decoded("DTSTART") == start
    assert component["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert component.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=1)
    assert "Humanity House" in str(component["LOCATION"])
    assert str(component["URL"]).endswith(event.get_absolute_url())
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_event_ics_uid_stays_the_same_when_the_event_changes(client):
    event = EventFactory()
    first = icalendar.Calendar.from_ical(client.get(event.get_ics_url()).content)

    event.title = "A new title"
    event.start += datetime.timedelta(days=1)
    event.end += datetime.timedelta(days=1)
    event.save()
    second = icalendar.Calendar.from_ical(client.get(event.get_ics_url()).content)

    uids = [str(cal.walk("VEVENT")[0]["UID"]) for cal in (first, second)]
    assert uids[0] == uids[1]
    assert uids[0].startswith(f"event-{event.pk}@")


def test_event_ics_of_unpublished_event_is_404(client):
    event = EventFactory(is_published=False)

    assert client.get(event.get_ics_url()).status_code == 404


def test_feed_ics_lists_upcoming_published_events_only(client):
    upcoming = EventFactory(title="Upcoming meeting")
    EventFactory(title="Old seminar", past=True)
    EventFactory(title="Unpublished plan", is_published=False)

    response = client.get(reverse("events:feed_ics"))

    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = [str(component["SUMMARY"]) for component in calendar.walk("VEVENT")]
    assert summaries == [upcoming.title]
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Amsterdam"


def test_feed_ics_is_valid_when_there_are_no_events(client):
    response = client.get(reverse("events:feed_ics"))

    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") == []


def test_atom_feed_lists_upcoming_published_events(client):
    EventFactory(title="Youth network meeting")
    EventFactory(title="Old seminar", past=True)
    EventFactory(title="Unpublished plan", is_published=False)

    response = client.get(reverse("events:feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Youth network meeting"]


def test_event_list_advertises_the_atom_feed(client):
    response = client.get(reverse("events:list"))

    assert 'type="application/atom+xml"' in response.text
    assert reverse("events:feed") in response.text
    assert reverse("events:feed_ics") in response.text


def test_sitemap_lists_published_events_only(client):
    published = EventFactory(past=True)
    hidden = EventFactory(is_published=False)

    response = client.get(reverse("sitemap_section", args=["events"]))

    assert response.status_code == 200
    assert published.get_absolute_url() in response.text
    assert hidden.get_absolute_url() not in response.text
    assert "sitemap-events.xml" in client.get(reverse("sitemap")).text
