"""Events added on the site: a member submits one for staff review (published events show
the submitting organisation as organiser), and a network group's facilitator adds the
group's meetings, published at once, with the same registration and calendar as any event."""

import datetime

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core import mail
from django.urls import reverse

from events.models import Event, Registration
from tests.accounts import sign_in_with_mfa
from tests.clock import at, frozen_clock
from tests.factories import (
    FacilitatorFactory,
    MembershipFactory,
    NetworkGroupFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, frozen_clock]

SUBMIT = reverse("events:submit")


def details(**extra):
    """A training a week after NOW, 10:00 to 16:00 in The Hague."""
    return {
        "title": "Mediation training for diaspora leaders",
        "summary": "A day of practice.",
        "description": "Bring a case of your own.",
        "day": "2026-06-17",
        "start_time": "10:00",
        "end_day": "",
        "end_time": "16:00",
        "venue": "Humanity House",
        "address": "Prinsegracht 8",
        "city": "The Hague",
        "capacity": "",
        **extra,
    }


@pytest.fixture
def member():
    return MembershipFactory(organisation=OrganisationFactory(name="Tosangana")).user


# Submitting an event for review --------------------------------------------------------------


def test_a_member_submits_an_event_that_waits_for_review(
    client, member, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_staff=True, email="staff@peacenet.example")
    organisation = member.memberships.get().organisation
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBMIT, details(organisation=organisation.pk, kind="training", capacity="20")
        )

    assert response.url == reverse("events:list")
    event = Event.objects.get()
    assert (event.kind, event.organiser, event.submitted_by) == ("training", organisation, member)
    assert not event.is_published
    assert event.start == at("2026-06-17 10:00")
    assert event.end == at("2026-06-17 16:00")
    assert event.capacity == 20
    assert LogEntry.objects.get().user == member
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert "Mediation training" in mail.outbox[0].subject
    client.logout()
    assert client.get(event.get_absolute_url()).status_code == 404
    assert "Mediation training" not in client.get(reverse("events:list")).content.decode()


def test_staff_publish_a_submitted_event_with_its_organisation_as_organiser(client, member):
    organisation = member.memberships.get().organisation
    client.force_login(member)
    client.post(SUBMIT, details(organisation=organisation.pk, kind="commemoration"))
    event = Event.objects.get()
    sign_in_with_mfa(client, UserFactory(is_staff=True, is_superuser=True))

    client.post(
        reverse("admin:events_event_changelist"),
        {"action": "publish", "_selected_action": [event.pk]},
    )

    event.refresh_from_db()
    assert event.is_published
    client.logout()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Mediation training for diaspora leaders" in page
    assert "Tosangana" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"end_time": "09:00"}, "end_time", "The event must end after it starts."),
        ({"day": "2026-06-01"}, "day", "Choose a date and time in the future."),
        (
            {"day": "2026-06-10", "start_time": "13:59"},
            "day",
            "Choose a date and time in the future.",
        ),
        # Summer time begins at 02:00 on 28 March 2027: 02:30 never happens in The Hague.
        (
            {"day": "2027-03-28", "start_time": "02:30", "end_time": "04:00"},
            "start_time",
            "This time does not exist in The Hague that day.",
        ),
        ({"end_day": "2026-07-17"}, "end_day", "An event added here lasts at most 14 days."),
        ({"day": "17/06/2026"}, "day", "Enter a valid date."),
        ({"start_time": "25:00"}, "start_time", "Enter a valid time."),
        ({"title": ""}, "title", "This field is required."),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
    ],
)
def test_bad_dates_and_times_are_explained_and_nothing_is_saved(
    client, member, data, field, message, django_capture_on_commit_callbacks
):
    organisation = member.memberships.get().organisation
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBMIT, details(organisation=organisation.pk, kind="meeting", **data)
        )

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Event.objects.exists()
    assert not mail.outbox


def test_an_event_may_end_on_a_later_day(client, member):
    organisation = member.memberships.get().organisation
    client.force_login(member)

    client.post(
        SUBMIT,
        details(
            organisation=organisation.pk, kind="meeting", end_day="2026-06-18", end_time="12:00"
        ),
    )

    assert Event.objects.get().end == at("2026-06-18 12:00")


def test_a_member_submits_only_for_their_own_published_organisation(client, member):
    someone_elses = OrganisationFactory()
    client.force_login(member)

    response = client.post(SUBMIT, details(organisation=someone_elses.pk, kind="meeting"))

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Event.objects.exists()


@pytest.mark.parametrize("status", [None, "pending", "rejected", "archived"])
def test_people_without_a_published_organisation_are_told_how_to_submit(client, status):
    user = UserFactory()
    if status:
        MembershipFactory(user=user, organisation=OrganisationFactory(status=status))
    client.force_login(user)

    page = client.get(SUBMIT)
    post = client.post(SUBMIT, details(kind="meeting"))

    assert page.status_code == 403
    assert "member of a published organisation" in page.content.decode()
    assert post.status_code == 403
    assert not Event.objects.exists()


def test_visitors_sign_in_before_submitting(client):
    assert client.get(SUBMIT).url.startswith(reverse("account_login"))


# A network group's meetings -------------------------------------------------------------------


@pytest.fixture
def group():
    return NetworkGroupFactory(name="Youth", slug="youth", facilitator=OrganisationFactory())


@pytest.fixture
def facilitator(group):
    return FacilitatorFactory(group=group, organisation=group.facilitator).user


def add_meeting(client, group, **data):
    url = reverse("events:add_group_meeting", kwargs={"slug": group.slug})
    return client.post(url, details(title="Youth network meeting", **data))


def test_a_facilitator_adds_a_meeting_published_at_once(client, group, facilitator):
    client.force_login(facilitator)

    response = add_meeting(client, group, capacity="15")

    event = Event.objects.get()
    assert response.url == event.get_absolute_url()
    assert event.is_published
    assert (event.kind, event.organiser, event.submitted_by) == (
        "network_meeting",
        group.facilitator,
        facilitator,
    )
    assert list(event.network_groups.all()) == [group]
    entry = LogEntry.objects.get()
    assert (entry.user, entry.action_flag, entry.object_id) == (
        facilitator,
        ADDITION,
        str(event.pk),
    )
    client.logout()
    assert "Youth network meeting" in client.get(group.get_absolute_url()).content.decode()
    assert "Youth network meeting" in client.get(reverse("events:feed_ics")).content.decode()
    assert client.get(event.get_ics_url()).status_code == 200


def test_people_register_for_a_group_meeting_like_any_event(client, group, facilitator):
    client.force_login(facilitator)
    add_meeting(client, group, capacity="1")
    event = Event.objects.get()
    person = UserFactory()
    client.force_login(person)

    client.post(reverse("events:register", kwargs={"slug": event.slug}))

    assert Registration.objects.get(event=event, user=person).status == "confirmed"


def test_staff_hide_a_group_meeting(client, group, facilitator):
    client.force_login(facilitator)
    add_meeting(client, group)
    event = Event.objects.get()
    sign_in_with_mfa(client, UserFactory(is_staff=True, is_superuser=True))

    client.post(
        reverse("admin:events_event_changelist"),
        {"action": "hide", "_selected_action": [event.pk]},
    )

    event.refresh_from_db()
    assert not event.is_published
    client.logout()
    assert "Youth network meeting" not in client.get(group.get_absolute_url()).content.decode()


def test_only_facilitators_add_meetings_of_their_group(client, group, facilitator):
    url = reverse("events:add_group_meeting", kwargs={"slug": group.slug})
    member = MembershipFactory(organisation=group.facilitator).user
    other_facilitator = FacilitatorFactory().user

    assert client.get(url).status_code == 302
    for person in (member, other_facilitator, UserFactory(is_staff=True, is_superuser=True)):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert add_meeting(client, group).status_code == 403
    assert not Event.objects.exists()


def test_a_meeting_with_bad_times_is_explained_and_not_saved(client, group, facilitator):
    client.force_login(facilitator)

    response = add_meeting(client, group, end_time="08:00")

    assert response.status_code == 200
    assert "The event must end after it starts." in response.content.decode()
    assert not Event.objects.exists()
    assert not LogEntry.objects.exists()


def test_two_events_with_the_same_title_get_their_own_addresses(client, group, facilitator):
    client.force_login(facilitator)

    add_meeting(client, group)
    add_meeting(client, group, day="2026-06-24")

    slugs = sorted(Event.objects.values_list("slug", flat=True))
    assert slugs == ["youth-network-meeting", "youth-network-meeting-2"]
    assert Event.objects.filter(start__date=datetime.date(2026, 6, 24)).exists()
