import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from tests.accounts import ROLES, STAFF_WITHOUT_MFA, client_as, sign_in_with_mfa
from tests.events.factories import (
    CoOrganiserFactory,
    EventFactory,
    FollowUpFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
)
from tests.factories import NetworkGroupFactory, OrganisationFactory, UserFactory
from tests.partnerships.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _full_event(**kwargs):
    """An event with everything the detail page shows."""
    event = EventFactory(network_groups=[NetworkGroupFactory()], **kwargs)
    CoOrganiserFactory(event=event, note="as reported by one source")
    for kind in ("plenary", "talk", "breakout"):
        session = SessionFactory(
            event=event,
            kind=kind,
            network_group=NetworkGroupFactory(),
            facilitator=OrganisationFactory(),
        )
        SpeakerFactory.create_batch(2, session=session)
        FollowUpFactory(event=event, session=session)
    FollowUpFactory(event=event)
    return event


# The list


def test_event_list_shows_upcoming_first_then_past(client):
    past = EventFactory(title="Seminar of last year", past=True)
    upcoming = EventFactory(title="Network meeting next month")

    response = client.get(reverse("events:list"))

    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [upcoming]
    assert list(response.context["page_obj"]) == [past]
    assert response.text.index("Network meeting next month") < response.text.index(
        "Seminar of last year"
    )


def test_event_list_hides_unpublished_events_from_the_public(client):
    EventFactory(title="Secret planning meeting", is_published=False)

    response = client.get(reverse("events:list"))

    assert "Secret planning meeting" not in response.text


def test_event_list_filters_by_kind(client):
    workshop = EventFactory(kind=Event.Kind.WORKSHOP)
    EventFactory(kind=Event.Kind.SEMINAR)

    response = client.get(reverse("events:list"), {"kind": "workshop"})

    assert list(response.context["upcoming"]) == [workshop]


def test_event_list_filters_by_network_group_slug(client):
    group = NetworkGroupFactory(slug="youth")
    tagged = EventFactory(network_groups=[group])
    via_session = SessionFactory(network_group=group, event=EventFactory(past=True)).event
    EventFactory()

    response = client.get(reverse("events:list"), {"network_group": "youth"})

    assert list(response.context["upcoming"]) == [tagged]
    assert list(response.context["page_obj"]) == [via_session]


def test_event_list_filters_by_year(client):
    old = EventFactory(start=datetime.datetime(2016, 9, 23, 13, tzinfo=datetime.UTC))
    EventFactory(past=True)

    response = client.get(reverse("events:list"), {"year": "2016"})

    assert list(response.context["page_obj"]) == [old]
    assert list(response.context["upcoming"]) == []
    assert '<option value="2016" selected>2016</option>' in response.text


def test_event_list_ignores_unknown_filter_values_without_error(client):
    event = EventFactory()

    response = client.get(
        reverse("events:list"), {"kind": "party", "year": "abc", "network_group": "nope"}
    )

    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [event]
    assert "There is a problem" in response.text


def test_event_list_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, committed
):
    group = NetworkGroupFactory()
    EventFactory(network_groups=[group])
    EventFactory(network_groups=[group], past=True)
    with django_assert_num_queries(7):
        client.get(reverse("events:list"))

    with committed():  # The change makes the cached list out of date: rendered afresh.
        for _ in range(10):
            EventFactory(network_groups=[group, NetworkGroupFactory()])
            EventFactory(network_groups=[group], past=True)
    with django_assert_num_queries(7):
        response = client.get(reverse("events:list"))

    assert len(response.context["upcoming"]) == 11
    assert len(response.context["page_obj"]) == 11


# The detail page


def test_event_detail_shows_programme_speakers_and_follow_ups(client):
    event = _full_event()
    session = event.sessions.get(kind="breakout")
    speaker = session.speakers.first()
    follow_up = event.follow_ups.first()

    response = client.get(event.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    assert session.title in html
    assert session.facilitator.name in html
    assert session.network_group.name in html
    assert speaker.name in html
    assert follow_up.title in html
    assert follow_up.get_status_display() in html
    assert "as reported by one source" in html
    assert f'href="{event.get_ics_url()}"' in html


def test_event_detail_describes_the_event_as_schema_org_json_ld(client):
    event = EventFactory(title="Youth <meeting>", venue="Humanity House", capacity=10)
    RegistrationFactory(event=event, user=UserFactory(first_name="Zawadi"))

    response = client.get(event.get_absolute_url())

    html = response.text
    start = html.index('<script type="application/ld+json"')
    script = html[html.index(">", start) + 1 : html.index("</script>", start)]
    data = json.loads(script)
    assert data["@type"] == "Event"
    assert data["name"] == "Youth <meeting>"
    assert data["startDate"] == event.start.isoformat()
    assert data["location"]["name"] == "Humanity House"
    assert data["organizer"]["name"] == event.organiser.name
    assert "Zawadi" not in script
    assert "<meeting>" not in script


def test_event_detail_shows_the_public_partnerships_each_follow_up_produced(client):
    follow_up = FollowUpFactory(title="Explore partnerships")
    ProposalFactory(title="Youth dialogue in Laak", follow_up=follow_up, status="active")
    ProposalFactory(title="Unfinished draft idea", follow_up=follow_up, status="draft")
    ProposalFactory(
        title="Hidden by moderators", follow_up=follow_up, is_hidden=True, hidden_reason="spam"
    )

    response = client.get(follow_up.event.get_absolute_url())

    assert "Youth dialogue in Laak" in response.text
    assert "Unfinished draft idea" not in response.text
    assert "Hidden by moderators" not in response.text


@pytest.mark.parametrize("role", [*ROLES, STAFF_WITHOUT_MFA])
def test_event_pages_of_unpublished_event_are_for_staff_only(client, role):
    organiser = OrganisationFactory()
    event = EventFactory(organiser=organiser, is_published=False, capacity=5)
    client = client_as(client, role, organiser)
    expected = 200 if role == "staff" else 404

    assert client.get(event.get_absolute_url()).status_code == expected
    assert client.get(event.get_ics_url()).status_code == expected
    listed = event.title in client.get(reverse("events:list")).text
    assert listed == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_register_for_published_event_is_open_to_anyone_signed_in(client, role):
    organiser = OrganisationFactory()
    event = EventFactory(organiser=organiser, capacity=5)
    client = client_as(client, role, organiser)

    response = client.post(reverse("events:register", args=[event.slug]))

    if role == "anonymous":
        assert response.url.startswith(reverse("account_login"))
        assert not Registration.objects.exists()
    else:
        assert response.url == event.get_absolute_url()
        assert Registration.objects.get().user == client.user


def test_event_detail_of_unpublished_event_is_404_for_the_public(client, user):
    event = EventFactory(is_published=False)

    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_event_detail_of_unpublished_event_is_shown_to_staff(client, staff):
    event = EventFactory(is_published=False)
    sign_in_with_mfa(client, staff)

    response = client.get(event.get_absolute_url())

    assert response.status_code == 200
    assert "This event is not published" in response.text


def test_event_detail_never_shows_attendee_names(client, user):
    event = EventFactory(capacity=10)
    attendee = RegistrationFactory(
        event=event, user=UserFactory(first_name="Zawadi", last_name="Okonkwo")
    ).user
    client.force_login(user)

    response = client.get(event.get_absolute_url())

    assert "1 of 10 places taken" in response.text
    assert "Zawadi" not in response.text
    assert "Okonkwo" not in response.text
    assert attendee.email not in response.text


def test_event_detail_names_and_links_only_published_organisations(client):
    pending = OrganisationFactory(name="Pending Partner", status="pending")
    event = EventFactory(organiser=pending)

    response = client.get(event.get_absolute_url())

    assert "Pending Partner" not in response.text
    assert "Organised by</dt>" in response.text
    assert "an organisation no longer listed" in response.text
    assert pending.get_absolute_url() not in response.text


def test_event_detail_query_count_does_not_grow_with_programme(client, django_assert_num_queries):
    small = EventFactory(capacity=10)
    SpeakerFactory(session=SessionFactory(event=small))
    FollowUpFactory(event=small, session=small.sessions.get())
    CoOrganiserFactory(event=small)
    large = _full_event(capacity=10)
    for _ in range(5):
        SpeakerFactory(session=SessionFactory(event=large, network_group=NetworkGroupFactory()))
        ProposalFactory(follow_up=FollowUpFactory(event=large))

    with django_assert_num_queries(8):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(8):
        client.get(large.get_absolute_url())


def test_event_detail_asks_anonymous_visitors_to_sign_in_to_register(client):
    event = EventFactory(capacity=10)

    response = client.get(event.get_absolute_url())

    assert "Sign in to register" in response.text
    assert reverse("events:register", args=[event.slug]) not in response.text


# Registering and cancelling


def test_register_post_takes_a_place(client, user):
    event = EventFactory(capacity=2)
    client.force_login(user)

    response = client.post(reverse("events:register", args=[event.slug]))

    assert response.status_code == 302
    assert response.url == event.get_absolute_url()
    registration = Registration.objects.get(event=event, user=user)
    assert registration.status == Registration.Status.CONFIRMED
    page = client.get(event.get_absolute_url())
    assert "You are registered." in page.text


def test_register_post_last_place_then_next_user_lands_on_waiting_list(client):
    event = EventFactory(capacity=1)
    first, second = UserFactory(), UserFactory()

    client.force_login(first)
    client.post(reverse("events:register", args=[event.slug]))
    client.force_login(second)
    page_before = client.get(event.get_absolute_url())
    response = client.post(reverse("events:register", args=[event.slug]), follow=True)

    assert "Join the waiting list" in page_before.text
    assert "you are on the waiting list" in response.text
    assert "You are number 1 on the waiting list." in response.text
    statuses = dict(Registration.objects.values_list("user", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "waiting"}


def test_register_post_twice_keeps_one_registration(client, user):
    event = EventFactory(capacity=5)
    client.force_login(user)

    client.post(reverse("events:register", args=[event.slug]))
    client.post(reverse("events:register", args=[event.slug]))

    assert Registration.objects.filter(event=event, user=user).count() == 1


def test_register_post_for_past_event_is_refused_with_a_message(client, user):
    event = EventFactory(capacity=5, past=True)
    client.force_login(user)

    response = client.post(reverse("events:register", args=[event.slug]), follow=True)

    assert response.status_code == 200
    assert "does not take registrations" in response.text
    assert not Registration.objects.exists()


def test_register_post_for_unpublished_event_is_404(client, user):
    event = EventFactory(capacity=5, is_published=False)
    client.force_login(user)

    response = client.post(reverse("events:register", args=[event.slug]))

    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_register_requires_sign_in(client):
    event = EventFactory(capacity=5)

    response = client.post(reverse("events:register", args=[event.slug]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Registration.objects.exists()


def test_register_refuses_get(client, user):
    event = EventFactory(capacity=5)
    client.force_login(user)

    response = client.get(reverse("events:register", args=[event.slug]))

    assert response.status_code == 405
    assert not Registration.objects.exists()


def test_cancel_post_frees_the_place_for_the_first_in_line(client):
    event = EventFactory(capacity=1)
    leaving = RegistrationFactory(event=event).user
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITING)
    client.force_login(leaving)

    response = client.post(reverse("events:cancel", args=[event.slug]), follow=True)

    assert "Your registration is cancelled." in response.text
    assert Registration.objects.get(user=leaving).status == Registration.Status.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_cancel_post_without_registration_shows_a_message(client, user):
    event = EventFactory(capacity=1)
    client.force_login(user)

    response = client.post(reverse("events:cancel", args=[event.slug]), follow=True)

    assert response.status_code == 200
    assert "You are not registered for this event." in response.text


def test_cancel_post_after_start_is_refused(client):
    start = timezone.now() - datetime.timedelta(minutes=30)
    event = EventFactory(capacity=1, start=start)
    registration = RegistrationFactory(event=event)
    client.force_login(registration.user)

    client.post(reverse("events:cancel", args=[event.slug]))

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
