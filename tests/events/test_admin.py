import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from tests.accounts import sign_in_with_mfa
from tests.clock import at, frozen_clock
from tests.events.factories import (
    EventFactory,
    FollowUpFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _export(client, *events):
    return client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_attendees", "_selected_action": [event.pk for event in events]},
    )


def test_admin_exports_attendees_of_selected_events_as_csv(staff_client):
    event = EventFactory(title="Gender network meeting", capacity=1)
    RegistrationFactory(
        event=event, user=UserFactory(first_name="Amina", last_name="Yusuf", email="a@x.org")
    )
    RegistrationFactory(event=event, status=Registration.Status.WAITING)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    RegistrationFactory()  # Another event's attendee.

    response = _export(staff_client, event)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["event", "name", "email", "status", "registered at"]
    assert rows[1][:4] == ["Gender network meeting", "Amina Yusuf", "a@x.org", "Confirmed"]
    assert [row[3] for row in rows[1:]] == ["Confirmed", "On the waiting list"]


def test_admin_attendee_export_neutralises_names_a_spreadsheet_would_run(staff_client):
    event = EventFactory(capacity=5)
    RegistrationFactory(
        event=event, user=UserFactory(first_name='=HYPERLINK("http://x")', last_name="")
    )

    rows = list(csv.reader(io.StringIO(_export(staff_client, event).content.decode())))

    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def test_admin_export_is_refused_to_staff_who_may_not_see_registrations(client):
    organiser = UserFactory(is_staff=True)
    organiser.user_permissions.set(
        Permission.objects.filter(codename__in=["view_event", "change_event"])
    )
    sign_in_with_mfa(client, organiser)
    event = EventFactory(capacity=5)
    RegistrationFactory(event=event, user=UserFactory(email="private@x.org"))

    response = _export(client, event)

    assert response.status_code == 302
    page = client.get(response.url)
    assert "You may not see the attendees." in page.text
    assert "private@x.org" not in page.text


def test_admin_event_page_shows_sessions_follow_ups_and_attendees_read_only(staff_client):
    event = EventFactory(capacity=5)
    SessionFactory(event=event, title="Breakout on youth")
    FollowUpFactory(event=event, title="Map youth organisations")
    RegistrationFactory(event=event, user=UserFactory(email="guest@x.org"))

    response = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))

    assert response.status_code == 200
    html = response.text
    assert "Breakout on youth" in html
    assert "Map youth organisations" in html
    assert "guest@x.org" in html
    assert 'name="registrations-0-status"' not in html


def _change_data(event, **changes):
    """The event's change form as the admin posts it, with ``changes`` applied."""
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "start_0": start.date().isoformat(),
        "start_1": start.strftime("%H:%M"),
        "end_0": end.date().isoformat(),
        "end_1": end.strftime("%H:%M"),
        "city": event.city,
        "capacity": event.capacity or "",
        "is_published": "on" if event.is_published else "",
    }
    for prefix in ("co_organisations", "sessions", "follow_ups", "registrations"):
        total = event.registrations.count() if prefix == "registrations" else 0
        data |= {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": str(total),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | changes


@frozen_clock
@pytest.mark.parametrize("start", ["2026-07-01 00:30", "2026-07-01 14:00"])
def test_admin_event_save_refuses_end_before_start(staff_client, start):
    event = EventFactory(start=at(start), end=at(start) + datetime.timedelta(hours=2))
    url = reverse("admin:events_event_change", args=[event.pk])
    an_hour_earlier = at(start) - datetime.timedelta(hours=1)

    response = staff_client.post(
        url,
        _change_data(
            event,
            end_0=an_hour_earlier.date().isoformat(),
            end_1=an_hour_earlier.strftime("%H:%M"),
        ),
    )

    assert response.status_code == 200
    assert "The event must end after it starts." in response.text
    event.refresh_from_db()
    assert event.end > event.start


def test_admin_event_save_refuses_capacity_below_places_taken(staff_client):
    event = EventFactory(capacity=3)
    RegistrationFactory.create_batch(2, event=event)
    url = reverse("admin:events_event_change", args=[event.pk])

    response = staff_client.post(url, _change_data(event, capacity="1"))

    assert response.status_code == 200
    assert "2 people already have a place; the capacity cannot be lower." in response.text
    event.refresh_from_db()
    assert event.capacity == 3


@pytest.mark.django_db(transaction=True)
def test_admin_raising_capacity_gives_places_to_the_waiting_list(staff_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    first = RegistrationFactory(event=event, status=Registration.Status.WAITING)
    second = RegistrationFactory(event=event, status=Registration.Status.WAITING)
    url = reverse("admin:events_event_change", args=[event.pk])

    response = staff_client.post(url, _change_data(event, capacity="2"), follow=True)

    assert "1 person moved from the waiting list to a place." in response.text
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.CONFIRMED
    assert second.status == Registration.Status.WAITING
    assert [message.to for message in mail.outbox] == [[first.user.email]]


def test_admin_session_page_edits_speakers_inline(staff_client):
    speaker = SpeakerFactory(name="Olivier Muhizi")

    response = staff_client.get(reverse("admin:events_session_change", args=[speaker.session.pk]))

    assert response.status_code == 200
    assert "Olivier Muhizi" in response.text


def test_admin_event_changelist_searches_and_filters(staff_client):
    EventFactory(title="Partnerships for Peace")
    EventFactory(title="Youth meeting")

    response = staff_client.get(
        reverse("admin:events_event_changelist"), {"q": "Partnerships", "kind": "seminar"}
    )

    assert response.status_code == 200
    assert "Partnerships for Peace" in response.text
    assert "Youth meeting" not in response.text
