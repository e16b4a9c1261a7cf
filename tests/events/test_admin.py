import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from events.models import Registration
from tests.accounts import sign_in_with_mfa
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


def test_admin_event_save_refuses_end_before_start(staff_client):
    event = EventFactory()
    url = reverse("admin:events_event_change", args=[event.pk])
    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "start_0": "2030-05-02",
        "start_1": "15:00",
        "end_0": "2030-05-02",
        "end_1": "14:00",
        "city": "The Hague",
        "is_published": "on",
        **{
            f"{prefix}-{key}": value
            for prefix in ("co_organisations", "sessions", "follow_ups", "registrations")
            for key, value in {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            }.items()
        },
    }

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "The event must end after it starts." in response.text
    event.refresh_from_db()
    assert event.end > event.start


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
