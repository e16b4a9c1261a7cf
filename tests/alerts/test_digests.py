"""Digests: one mail per person of what changed in what they follow, with a one-click
unsubscribe (RFC 8058); a second run sends nothing."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from alerts.models import Follow, Frequency, Subscription
from alerts.services import set_frequency
from events.models import Event
from partnerships.models import PartnershipProposal, ProposalStatus
from partnerships.services import create_proposal, post_progress_update, start_partnership
from peacenet.lib.links import absolute_url
from tests.clock import at
from tests.events.factories import EventFactory
from tests.factories import NetworkGroupFactory, OrganisationFactory, UserFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = pytest.mark.django_db

MONDAY = at("2026-06-01 09:00")
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)


def open_call(title, *, group, lead, by):
    """An open call submitted through the partnerships' own workflow."""
    proposal = PartnershipProposal(
        title=title,
        summary="Partners sought.",
        description="Why and what.",
        network_group=group,
        is_open_call=True,
    )
    return create_proposal(
        proposal=proposal, themes=[], lead=lead, partners=[], by=by, submit=True
    )


def send_digests(capture):
    mail.outbox.clear()
    with capture(execute=True):
        call_command("send_digests", verbosity=0)
    return list(mail.outbox)


@pytest.fixture
def gender():
    return NetworkGroupFactory(name="Gender", slug="gender")


@pytest.fixture
def lead():
    organisation = OrganisationFactory(name="WO=MEN")
    return organisation, member_of(organisation)


def follow_group_on_monday(person, group):
    client = Client()
    client.force_login(person)
    with time_machine.travel(MONDAY, tick=False):
        response = client.post(
            reverse("alerts:follow"),
            {"kind": "group", "slug": group.slug, "next": group.get_absolute_url()},
        )
    assert response.status_code == 302
    return client


def test_a_gender_follower_gets_one_digest_of_the_weeks_open_call_and_unsubscribes_in_one_click(
    gender, lead, django_capture_on_commit_callbacks
):
    organisation, member = lead
    person = UserFactory(email="follower@example.org")
    with time_machine.travel(MONDAY - DAY, tick=False):
        open_call("Last week's call", group=gender, lead=organisation, by=member)
    follow_group_on_monday(person, gender)
    with time_machine.travel(MONDAY + 2 * DAY, tick=False):
        open_call("Women mediators in the Great Lakes", group=gender, lead=organisation, by=member)
        open_call("Youth call", group=NetworkGroupFactory(), lead=organisation, by=member)

    with time_machine.travel(MONDAY + WEEK, tick=False):
        sent = send_digests(django_capture_on_commit_callbacks)
        again = send_digests(django_capture_on_commit_callbacks)

    assert [message.to for message in sent] == [["follower@example.org"]]
    digest = sent[0]
    assert digest.subject == "[PeaceNet] Your PeaceNet digest: 1 new thing"
    assert "Women mediators in the Great Lakes" in digest.body
    assert "Last week's call" not in digest.body
    assert "Youth call" not in digest.body
    assert absolute_url(reverse("alerts:list")) in digest.body
    assert again == []  # A second run the same moment sends nothing.

    # RFC 8058: a signed https-or-site link in List-Unsubscribe, and one-click by POST.
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(.+)>", digest.extra_headers["List-Unsubscribe"]).group(1)
    assert link in digest.body
    path = urlsplit(link).path
    mail_provider = Client(enforce_csrf_checks=True)  # No session, no CSRF token.
    with time_machine.travel(MONDAY + WEEK + DAY, tick=False):
        confirm_page = mail_provider.get(path)
        assert confirm_page.status_code == 200
        # GET changes nothing (mail scanners follow links).
        assert Subscription.objects.get(user=person).frequency == Frequency.WEEKLY
        response = mail_provider.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 200
    assert Subscription.objects.get(user=person).frequency == Frequency.NEVER
    assert Follow.objects.filter(user=person).count() == 1  # What they follow is kept.

    with time_machine.travel(MONDAY + WEEK + 2 * DAY, tick=False):
        open_call("Another call", group=gender, lead=organisation, by=member)
    with time_machine.travel(MONDAY + 2 * WEEK, tick=False):
        assert send_digests(django_capture_on_commit_callbacks) == []

    # Turned on again, the digest tells only what happens from then on.
    with time_machine.travel(MONDAY + 3 * WEEK, tick=False):
        set_frequency(user=person, frequency=Frequency.WEEKLY)
    with time_machine.travel(MONDAY + 3 * WEEK + DAY, tick=False):
        open_call("After the break", group=gender, lead=organisation, by=member)
    with time_machine.travel(MONDAY + 4 * WEEK, tick=False):
        (back,) = send_digests(django_capture_on_commit_callbacks)
    assert "After the break" in back.body
    assert "Another call" not in back.body


def test_nothing_to_report_sends_no_mail_and_the_next_digest_covers_only_its_own_week(
    gender, lead, django_capture_on_commit_callbacks
):
    organisation, member = lead
    person = UserFactory()
    follow_group_on_monday(person, gender)

    with time_machine.travel(MONDAY + WEEK, tick=False):
        assert send_digests(django_capture_on_commit_callbacks) == []
    with time_machine.travel(MONDAY + WEEK + DAY, tick=False):
        open_call("Next week's call", group=gender, lead=organisation, by=member)
    with time_machine.travel(MONDAY + WEEK + 3 * DAY, tick=False):
        assert send_digests(django_capture_on_commit_callbacks) == []  # Not due yet.
    with time_machine.travel(MONDAY + 2 * WEEK, tick=False):
        sent = send_digests(django_capture_on_commit_callbacks)

    assert len(sent) == 1
    assert "Next week's call" in sent[0].body


def test_a_daily_digest_comes_the_next_day(gender, lead, django_capture_on_commit_callbacks):
    organisation, member = lead
    person = UserFactory()
    client = follow_group_on_monday(person, gender)
    with time_machine.travel(MONDAY + datetime.timedelta(hours=1), tick=False):
        client.post(reverse("alerts:frequency"), {"frequency": "daily"})
        open_call("Tomorrow's news", group=gender, lead=organisation, by=member)

    with time_machine.travel(MONDAY + DAY, tick=False):
        sent = send_digests(django_capture_on_commit_callbacks)

    assert len(sent) == 1
    assert "Tomorrow's news" in sent[0].body


def test_the_digest_is_in_the_recipients_language(
    gender, lead, django_capture_on_commit_callbacks
):
    organisation, member = lead
    person = UserFactory(preferred_language="nl")
    follow_group_on_monday(person, gender)
    with time_machine.travel(MONDAY + DAY, tick=False):
        open_call("Vrouwen en vrede", group=gender, lead=organisation, by=member)

    with time_machine.travel(MONDAY + WEEK, tick=False):
        (digest,) = send_digests(django_capture_on_commit_callbacks)

    assert digest.subject == "[PeaceNet] Uw PeaceNet-overzicht: 1 nieuw bericht"
    assert "Nieuwe open oproepen in uw netwerkgroepen" in digest.body


def test_a_followed_partnership_tells_its_status_changes_and_progress_updates(
    django_capture_on_commit_callbacks,
):
    lead_organisation = OrganisationFactory()
    member = member_of(lead_organisation)
    with time_machine.travel(MONDAY - DAY, tick=False):
        proposal = ProposalFactory(
            lead_participant=lead_organisation, status=ProposalStatus.FORMING
        )
        ParticipantFactory(proposal=proposal, answer="accepted")
    person = UserFactory()
    client = Client()
    client.force_login(person)
    with time_machine.travel(MONDAY, tick=False):
        client.post(reverse("alerts:follow"), {"kind": "partnership", "slug": proposal.slug})
    with time_machine.travel(MONDAY + DAY, tick=False):
        start_partnership(proposal=proposal, by=member)
    with time_machine.travel(MONDAY + 2 * DAY, tick=False):
        post_progress_update(
            proposal=proposal,
            organisation=lead_organisation,
            by=member,
            text="First workshop held.",
        )

    with time_machine.travel(MONDAY + WEEK, tick=False):
        (digest,) = send_digests(django_capture_on_commit_callbacks)

    assert "Forming → Active" in digest.body
    assert "First workshop held." in digest.body


def test_a_saved_search_tells_new_matching_organisations_and_group_events(
    gender, django_capture_on_commit_callbacks
):
    person = UserFactory()
    client = Client()
    client.force_login(person)
    with time_machine.travel(MONDAY, tick=False):
        client.post(reverse("alerts:follow"), {"kind": "search", "query": "kind=diaspora&page=2"})
        client.post(reverse("alerts:follow"), {"kind": "group", "slug": gender.slug})
        client.post(reverse("alerts:follow"), {"kind": "search", "query": "q=mediation"})
    with time_machine.travel(MONDAY + DAY, tick=False):
        OrganisationFactory(name="Mediation Circle", kind="ngo")
        OrganisationFactory(name="New diaspora voice", kind="diaspora")
        OrganisationFactory(name="New NGO", kind="ngo")
        OrganisationFactory(name="Pending diaspora", kind="diaspora", status="pending")
        event = EventFactory(title="Gender network meeting")
        event.network_groups.add(gender)
        EventFactory(title="Unpublished meeting", is_published=False).network_groups.add(gender)

    with time_machine.travel(MONDAY + WEEK, tick=False):
        (digest,) = send_digests(django_capture_on_commit_callbacks)

    assert set(
        Follow.objects.filter(user=person, kind="search").values_list("query", flat=True)
    ) == {
        "kind=diaspora",
        "q=mediation",
    }
    assert "New diaspora voice" in digest.body
    assert "Mediation Circle" in digest.body
    assert "Gender network meeting" in digest.body
    for hidden in ("New NGO", "Pending diaspora", "Unpublished meeting"):
        assert hidden not in digest.body
    assert Event.objects.count() == 2


def test_a_followed_organisation_tells_when_its_profile_changed(
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(MONDAY - DAY, tick=False):
        organisation = OrganisationFactory(name="Changing Peace")
        quiet = OrganisationFactory(name="Quiet Peace")
    person = UserFactory()
    client = Client()
    client.force_login(person)
    with time_machine.travel(MONDAY, tick=False):
        for followed in (organisation, quiet):
            client.post(reverse("alerts:follow"), {"kind": "organisation", "slug": followed.slug})
    with time_machine.travel(MONDAY + DAY, tick=False):
        organisation.summary = "Now also works on mediation."
        organisation.save()

    with time_machine.travel(MONDAY + WEEK, tick=False):
        (digest,) = send_digests(django_capture_on_commit_callbacks)

    assert "Changing Peace (Profile updated)" in digest.body
    assert "Quiet Peace" not in digest.body


def test_an_event_published_after_review_is_news_when_it_is_published_not_when_submitted(
    gender, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY - WEEK, tick=False):
        submitted = EventFactory(title="Commemoration submitted for review", is_published=False)
        submitted.network_groups.add(gender)
    person = UserFactory()
    follow_group_on_monday(person, gender)
    with time_machine.travel(MONDAY + DAY, tick=False):
        # As staff's "Publish" action saves it.
        submitted.is_published = True
        submitted.save(update_fields=["is_published", "updated"])

    with time_machine.travel(MONDAY + WEEK, tick=False):
        (digest,) = send_digests(django_capture_on_commit_callbacks)
    assert "Commemoration submitted for review" in digest.body

    with time_machine.travel(MONDAY + DAY + WEEK, tick=False):
        submitted.is_published = False
        submitted.save(update_fields=["is_published", "updated"])
        submitted.is_published = True
        submitted.save(update_fields=["is_published", "updated"])
    with time_machine.travel(MONDAY + 2 * WEEK, tick=False):
        assert send_digests(django_capture_on_commit_callbacks) == []
    submitted.refresh_from_db()
    assert submitted.published_at == MONDAY + DAY
