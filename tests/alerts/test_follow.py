"""Following and unfollowing from the pages, "My alerts", unsubscribing by link, and the
Atom feed of a followed search."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from alerts.models import Follow, Frequency, Subscription
from alerts.services import subscription_for, unsubscribe_token
from tests.clock import NOW, frozen_clock
from tests.factories import NetworkGroupFactory, OrganisationFactory, UserFactory
from tests.partnerships.factories import ProposalFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def person_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_following_an_organisation_without_javascript_saves_it_and_goes_back(person_client, user):
    organisation = OrganisationFactory()
    profile = organisation.get_absolute_url()

    response = person_client.post(
        reverse("alerts:follow"),
        {"kind": "organisation", "slug": organisation.slug, "next": profile},
    )

    assert response.status_code == 302
    assert response["Location"] == profile
    assert Follow.objects.get(user=user).organisation == organisation
    assert Subscription.objects.get(user=user).frequency == Frequency.WEEKLY
    page = person_client.get(profile).content.decode()
    assert "Stop following" in page


def test_following_twice_keeps_one_follow(person_client, user):
    group = NetworkGroupFactory()
    for _ in range(2):
        person_client.post(reverse("alerts:follow"), {"kind": "group", "slug": group.slug})

    assert Follow.objects.filter(user=user, network_group=group).count() == 1


def test_following_with_htmx_answers_with_the_control_to_stop(person_client, user):
    proposal = ProposalFactory()

    response = person_client.post(
        reverse("alerts:follow"),
        {"kind": "partnership", "slug": proposal.slug, "next": proposal.get_absolute_url()},
        headers={"HX-Request": "true"},
    )

    followed = Follow.objects.get(user=user)
    assert followed.proposal == proposal
    content = response.content.decode()
    assert reverse("alerts:unfollow", kwargs={"pk": followed.pk}) in content
    assert "<html" not in content

    response = person_client.post(
        reverse("alerts:unfollow", kwargs={"pk": followed.pk}),
        {"next": proposal.get_absolute_url()},
        headers={"HX-Request": "true"},
    )
    assert not Follow.objects.filter(user=user).exists()
    assert "Follow this partnership" in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("organisation", lambda: OrganisationFactory(status="pending")),
        ("organisation", lambda: OrganisationFactory(status="archived")),
        ("partnership", lambda: ProposalFactory(status="draft")),
        ("partnership", lambda: ProposalFactory(is_hidden=True, hidden_reason="Spam.")),
        ("group", lambda: type("Gone", (), {"slug": "no-such-group"})()),
    ],
)
def test_what_is_not_public_cannot_be_followed(person_client, user, kind, make):
    target = make()

    response = person_client.post(reverse("alerts:follow"), {"kind": kind, "slug": target.slug})

    assert response.status_code == 404
    assert not Follow.objects.exists()
    assert not Subscription.objects.exists()


def test_a_search_with_invalid_filters_is_refused_with_a_message(person_client, user):
    response = person_client.post(
        reverse("alerts:follow"), {"kind": "search", "query": "kind=spaceship"}, follow=True
    )

    assert "cannot be saved" in response.content.decode()
    assert not Follow.objects.exists()


def test_a_search_is_saved_with_its_filters_normalised_like_the_page_cache(person_client, user):
    group = NetworkGroupFactory(slug="gender")
    OrganisationFactory().network_groups.add(group)
    query = "q=women&ordering=name&network_group=gender&page=3&kind=&unknown=1"

    person_client.post(reverse("alerts:follow"), {"kind": "search", "query": query})
    person_client.post(
        reverse("alerts:follow"), {"kind": "search", "query": "network_group=gender&q=women"}
    )

    assert list(Follow.objects.values_list("query", flat=True)) == ["network_group=gender&q=women"]
    page = person_client.get(reverse("organisations:directory") + "?q=women&network_group=gender")
    assert "You get alerts about new organisations matching this search." in page.content.decode()
    alerts = person_client.get(reverse("alerts:list")).content.decode()
    assert "Search: women" in alerts
    assert reverse("organisations:feed") + "?network_group=gender&amp;q=women" in alerts


def test_a_visitor_is_asked_to_sign_in_to_follow(client):
    organisation = OrganisationFactory()
    page = client.get(organisation.get_absolute_url()).content.decode()

    assert "Sign in to follow this" in page
    assert reverse("alerts:follow") not in page
    response = client.post(
        reverse("alerts:follow"), {"kind": "organisation", "slug": organisation.slug}
    )
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_the_group_page_and_the_directory_offer_to_follow(person_client):
    group = NetworkGroupFactory()

    group_page = person_client.get(group.get_absolute_url()).content.decode()
    directory = person_client.get(
        reverse("organisations:directory") + "?kind=ngo"
    ).content.decode()

    assert "Follow this network group" in group_page
    assert "Alert me about new organisations matching this search" in directory
    assert 'name="query" value="kind=ngo"' in directory
    feed = reverse("organisations:feed") + "?kind=ngo"
    title = "New organisations matching this search"
    link = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{feed}">'
    assert link in directory


def test_nobody_removes_anothers_alert(person_client, user):
    other = UserFactory()
    theirs = Follow.objects.create(user=other, kind="group", network_group=NetworkGroupFactory())

    response = person_client.post(reverse("alerts:unfollow", kwargs={"pk": theirs.pk}))

    assert response.status_code == 404
    assert Follow.objects.filter(pk=theirs.pk).exists()


def test_my_alerts_lists_and_removes_alerts_and_sets_the_frequency(person_client, user):
    organisation = OrganisationFactory(name="Mine to follow")
    followed = Follow.objects.create(user=user, kind="organisation", organisation=organisation)

    page = person_client.get(reverse("alerts:list")).content.decode()
    assert "Mine to follow" in page

    person_client.post(reverse("alerts:frequency"), {"frequency": "daily"})
    assert Subscription.objects.get(user=user).frequency == Frequency.DAILY
    response = person_client.post(
        reverse("alerts:frequency"), {"frequency": "hourly"}, follow=True
    )
    assert "Choose weekly, daily or never." in response.content.decode()
    assert Subscription.objects.get(user=user).frequency == Frequency.DAILY

    person_client.post(reverse("alerts:unfollow", kwargs={"pk": followed.pk}))
    assert not Follow.objects.filter(pk=followed.pk).exists()


@frozen_clock
def test_a_tampered_or_expired_unsubscribe_link_changes_nothing_and_says_so(client, user):
    subscription = subscription_for(user)
    token = unsubscribe_token(subscription)
    other_token = unsubscribe_token(subscription_for(UserFactory()))
    tampered = token[:-2] + ("aa" if token[-2:] != "aa" else "bb")
    forged = signing.dumps(subscription.pk, salt="something else")

    for bad in (tampered, forged, other_token[: len(other_token) // 2]):
        response = client.post(reverse("alerts:unsubscribe", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "This unsubscribe link is not valid." in response.content.decode()
    with time_machine.travel(NOW + datetime.timedelta(days=91), tick=False):
        response = client.post(reverse("alerts:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 400
    assert "This unsubscribe link has expired." in response.content.decode()
    assert set(Subscription.objects.values_list("frequency", flat=True)) == {Frequency.WEEKLY}


@frozen_clock
def test_an_unsubscribe_link_unsubscribes_only_its_own_subscription(client, user):
    mine, theirs = subscription_for(user), subscription_for(UserFactory())

    page = client.get(reverse("alerts:unsubscribe", kwargs={"token": unsubscribe_token(mine)}))
    assert page.status_code == 200
    assert user.email in page.content.decode()
    client.post(reverse("alerts:unsubscribe", kwargs={"token": unsubscribe_token(mine)}))

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.frequency, theirs.frequency) == (Frequency.NEVER, Frequency.WEEKLY)


def test_the_feed_of_a_search_lists_new_published_organisations_with_the_same_filters(client):
    OrganisationFactory(name="Diaspora one", kind="diaspora")
    OrganisationFactory(name="An NGO", kind="ngo")
    OrganisationFactory(name="Pending diaspora", kind="diaspora", status="pending")

    response = client.get(reverse("organisations:feed") + "?kind=diaspora&utm=x")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Diaspora one"]
    assert client.get(reverse("organisations:feed") + "?kind=spaceship").status_code == 404
