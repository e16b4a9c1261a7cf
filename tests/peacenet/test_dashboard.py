from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from organisations.models import Membership, Organisation
from organisations.services import invite_editor
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")


def test_dashboard_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_shows_my_organisations_with_status_and_next_steps(client, user):
    pending = OrganisationFactory(name="Pending Org", status=Organisation.Status.PENDING)
    rejected = OrganisationFactory(
        name="Rejected Org",
        status=Organisation.Status.REJECTED,
        status_reason="Please describe your peace work.",
    )
    published = OrganisationFactory(name="Published Org")
    for organisation in (pending, rejected, published):
        MembershipFactory(user=user, organisation=organisation)
    OrganisationFactory(name="Someone Else's Org")
    client.force_login(user)

    body = client.get(URL).content.decode()

    assert "Pending Org" in body
    assert "Waiting for review" in body
    assert "Please describe your peace work." in body
    assert reverse("organisations:resubmit", kwargs={"slug": rejected.slug}) in body
    assert reverse("organisations:confirm", kwargs={"slug": published.slug}) in body
    assert reverse("organisations:members", kwargs={"slug": published.slug}) in body
    assert "Someone Else" not in body
    assert "Partnership invitations to answer" in body


def test_dashboard_does_not_offer_member_management_to_editors(client, user):
    organisation = OrganisationFactory()
    MembershipFactory(user=user, organisation=organisation, role=Membership.Role.EDITOR)
    client.force_login(user)

    body = client.get(URL).content.decode()

    assert reverse("organisations:edit", kwargs={"slug": organisation.slug}) in body
    assert reverse("organisations:members", kwargs={"slug": organisation.slug}) not in body


def test_dashboard_lists_invitations_to_edit(client, user):
    owner_membership = MembershipFactory()
    invite_editor(
        organisation=owner_membership.organisation, email=user.email, by=owner_membership.user
    )
    client.force_login(user)

    body = client.get(URL).content.decode()

    assert f"Answer the invitation to edit {owner_membership.organisation.name}" in body


def test_dashboard_lists_the_upcoming_events_i_am_going_to_or_waiting_for(client, user):
    now = timezone.now()
    going = RegistrationFactory(user=user, event__title="Gender network meeting")
    RegistrationFactory(
        user=user,
        event__title="Youth dialogue",
        event__start=going.event.start - timedelta(days=7),
        event__end=going.event.end - timedelta(days=7),
        status=Registration.Status.WAITING,
    )
    for title, extra in [
        ("Cancelled meeting", {"status": Registration.Status.CANCELLED}),
        ("Last year's seminar", {"event__start": now - timedelta(days=365)}),
        ("Unpublished meeting", {"event__is_published": False}),
    ]:
        RegistrationFactory(user=user, event__title=title, **extra)
    RegistrationFactory(event__title="Someone else's meeting")
    client.force_login(user)

    body = client.get(URL).content.decode()

    section = body[body.index("Events you are going to") :]
    assert section.index("Youth dialogue") < section.index("Gender network meeting")
    assert "On the waiting list" in section
    assert "You have a place" in section
    for title in ["Cancelled meeting", "Last year", "Unpublished meeting", "Someone else"]:
        assert title not in body


def test_dashboard_says_when_i_am_not_going_to_any_event(client, user):
    EventFactory(title="Open seminar")
    client.force_login(user)

    body = client.get(URL).content.decode()

    assert "You have not signed up for an upcoming event." in body
    assert "Open seminar" not in body


@pytest.mark.parametrize("count", [1, 30])
def test_dashboard_query_count_does_not_grow_with_organisations(
    client, django_assert_num_queries, count
):
    user = UserFactory()
    for _ in range(count):
        MembershipFactory(user=user)
        RegistrationFactory(user=user)
    client.force_login(user)

    # session, user, memberships with organisations, editor invitations, partnership
    # invitations, led proposals, suggested partners for one organisation (its themes, groups,
    # offers and needs; nothing to match, so no candidate queries), the events I go to
    with django_assert_num_queries(11):
        response = client.get(URL)

    assert response.status_code == 200
