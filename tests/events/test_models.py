import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from events.models import Event, FollowUp, Registration
from events.templatetags.events import organisation_events
from tests.events.factories import (
    EventFactory,
    FollowUpFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.factories import NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_event_end_before_start_is_refused_by_the_database():
    start = timezone.now() + datetime.timedelta(days=3)

    with pytest.raises(IntegrityError, match="event_end_after_start"):
        EventFactory(start=start, end=start - datetime.timedelta(hours=1))


def test_event_end_equal_to_start_is_refused_by_the_database():
    start = timezone.now() + datetime.timedelta(days=3)

    with pytest.raises(IntegrityError, match="event_end_after_start"):
        EventFactory(start=start, end=start)


def test_event_clean_explains_end_before_start():
    event = EventFactory.build(organiser=None)
    event.end = event.start - datetime.timedelta(minutes=5)

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict["end"] == ["The event must end after it starts."]


def test_event_clean_refuses_the_reserved_feed_slug():
    event = EventFactory.build(organiser=None, slug="feed")

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert "slug" in error.value.message_dict


def test_event_unknown_kind_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="event_kind_valid"):
        EventFactory(kind="party")


def test_event_zero_capacity_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="event_capacity_positive"):
        EventFactory(capacity=0)


def test_session_end_before_start_is_refused_by_the_database():
    start = timezone.now()

    with pytest.raises(IntegrityError, match="session_end_after_start"):
        SessionFactory(start=start, end=start - datetime.timedelta(minutes=1))


def test_follow_up_unknown_status_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="followup_status_valid"):
        FollowUpFactory(status="forgotten")


def test_follow_up_clean_refuses_a_session_of_another_event():
    follow_up = FollowUpFactory.build(event=EventFactory(), session=SessionFactory(), owner=None)

    with pytest.raises(ValidationError) as error:
        follow_up.full_clean()

    assert "session" in error.value.message_dict


def test_registration_second_for_same_person_and_event_is_refused():
    registration = RegistrationFactory()

    # SQLite names the columns, PostgreSQL the constraint.
    with pytest.raises(IntegrityError, match=r"registration_event_user_unique|\.user_id"):
        RegistrationFactory(event=registration.event, user=registration.user)


def test_registration_unknown_status_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="registration_status_valid"):
        RegistrationFactory(status="maybe")


def test_event_queryset_published_upcoming_and_past():
    soon = EventFactory(start=timezone.now() + datetime.timedelta(days=1))
    later = EventFactory(start=timezone.now() + datetime.timedelta(days=9))
    running = EventFactory(
        start=timezone.now() - datetime.timedelta(hours=1),
        end=timezone.now() + datetime.timedelta(hours=1),
    )
    past = EventFactory(past=True)
    older = EventFactory(start=timezone.now() - datetime.timedelta(days=400))
    EventFactory(is_published=False)

    published = Event.objects.published()

    assert list(published.upcoming()) == [running, soon, later]
    assert list(published.past()) == [past, older]


def test_event_queryset_for_network_group_finds_tagged_and_session_events():
    group = NetworkGroupFactory()
    tagged = EventFactory(network_groups=[group])
    with_session = SessionFactory(network_group=group).event
    SessionFactory(network_group=group, event=with_session)
    EventFactory()

    found = Event.objects.for_network_group(group)

    assert sorted(found, key=lambda event: event.pk) == [tagged, with_session]


def test_organisation_events_lists_every_role_of_an_event_once():
    organisation = OrganisationFactory()
    organised = EventFactory(organiser=organisation)
    facilitated = SessionFactory(facilitator=organisation).event
    SessionFactory(facilitator=organisation, event=facilitated)
    EventFactory()

    rows = organisation_events(organisation)

    found = sorted((row.event for row in rows.upcoming + rows.past), key=lambda e: e.pk)
    assert found == [organised, facilitated]


def test_event_takes_registrations_only_when_published_upcoming_with_capacity():
    assert EventFactory(capacity=5).takes_registrations
    assert not EventFactory(capacity=None).takes_registrations
    assert not EventFactory(capacity=5, is_published=False).takes_registrations
    assert not EventFactory(capacity=5, past=True).takes_registrations


def test_registration_waiting_queryset_is_first_in_line_first():
    event = EventFactory(capacity=1)
    now = timezone.now()
    second = RegistrationFactory(
        event=event, status=Registration.Status.WAITING, registered_at=now
    )
    first = RegistrationFactory(
        event=event,
        status=Registration.Status.WAITING,
        registered_at=now - datetime.timedelta(minutes=5),
    )

    assert list(event.registrations.waiting()) == [first, second]


def test_registration_place_in_line_counts_those_ahead():
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    now = timezone.now()
    first = RegistrationFactory(event=event, status="waiting", registered_at=now)
    second = RegistrationFactory(event=event, status="waiting", registered_at=now)
    RegistrationFactory(event=event, status="cancelled", registered_at=now)

    assert confirmed.place_in_line() is None
    assert first.place_in_line() == 1
    assert second.place_in_line() == 2


def test_follow_up_url_points_at_its_place_on_the_event_page():
    follow_up = FollowUpFactory()

    assert follow_up.get_absolute_url() == (
        f"/events/{follow_up.event.slug}/#follow-up-{follow_up.pk}"
    )
    assert FollowUp.Status.IN_PROGRESS.label == "In progress"
