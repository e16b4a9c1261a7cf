"""A partnership's news: its Atom feed tells progress reports and deliverables done or
overdue, and its followers' digests the deliverables, of public partnerships only."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from partnerships import services
from partnerships.digests import deliverables
from partnerships.models import Answer, Deliverable, ProgressUpdate, ProposalStatus
from peacenet.lib.digests import SOURCES, Follows
from tests.clock import NOW, at
from tests.factories import OrganisationFactory, UserFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

TODAY = NOW.date()  # Wednesday 10 June 2026
DAY = datetime.timedelta(days=1)


@pytest.fixture
def partnership():
    lead = OrganisationFactory(name="Lead Org")
    proposal = ProposalFactory(
        lead_participant=lead, status=ProposalStatus.ACTIVE, title="Women and peace"
    )
    return proposal, lead


def _deliverable(proposal, organisation, title, due, done_at=None, note=""):
    return Deliverable.objects.create(
        proposal=proposal,
        organisation=organisation,
        title=title,
        due=due,
        done_at=done_at,
        done_note=note,
    )


def test_feed_tells_reports_and_deliverables_done_or_overdue_but_not_those_still_due(
    client, partnership
):
    proposal, lead = partnership
    ProgressUpdate.objects.create(
        proposal=proposal, organisation=lead, date=TODAY - DAY, text="Two workshops held."
    )
    _deliverable(proposal, lead, "Shadow report", TODAY - DAY, done_at=NOW, note="Sent.")
    _deliverable(proposal, lead, "Mid-term review", TODAY - 2 * DAY)
    _deliverable(proposal, lead, "Networking day", TODAY + DAY)

    response = client.get(reverse("partnerships:proposal_feed", kwargs={"slug": proposal.slug}))

    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<title>Progress report from Lead Org</title>" in body
    assert "Two workshops held." in body
    assert "<title>Done: Shadow report</title>" in body
    assert "<title>Overdue: Mid-term review</title>" in body
    assert "Networking day" not in body
    page = client.get(proposal.get_absolute_url()).content.decode()
    feed_url = reverse("partnerships:proposal_feed", kwargs={"slug": proposal.slug})
    assert f'title="News of Women and peace" href="{feed_url}">' in page


@pytest.mark.parametrize(
    "hide", [{"status": ProposalStatus.DRAFT}, {"is_hidden": True, "hidden_reason": "Spam."}]
)
def test_a_draft_or_hidden_partnership_has_no_feed_and_no_digest_items(client, partnership, hide):
    proposal, lead = partnership
    _deliverable(proposal, lead, "Secret", TODAY - DAY, done_at=NOW)
    for field, value in hide.items():
        setattr(proposal, field, value)
    proposal.save()

    response = client.get(reverse("partnerships:proposal_feed", kwargs={"slug": proposal.slug}))
    sections = SOURCES.collect(
        Follows(partnerships=frozenset({proposal.pk})), since=NOW - 7 * DAY, until=NOW + DAY
    )

    assert response.status_code == 404
    assert sections == []


def test_digest_tells_followers_the_deliverables_done_or_overdue_in_the_week(
    partnership, django_assert_num_queries
):
    proposal, lead = partnership
    since, until = at("2026-06-03 00:00"), at("2026-06-10 00:00")
    other = ProposalFactory(status=ProposalStatus.ACTIVE)
    _deliverable(proposal, lead, "Done this week", TODAY, done_at=at("2026-06-08 16:00"))
    _deliverable(proposal, lead, "Overdue since Friday", datetime.date(2026, 6, 4))
    _deliverable(
        proposal,
        lead,
        "Overdue, then done",
        datetime.date(2026, 6, 4),
        done_at=at("2026-06-06 10:00"),
    )
    _deliverable(proposal, lead, "Overdue before", datetime.date(2026, 6, 1))
    _deliverable(proposal, lead, "Done before", TODAY, done_at=at("2026-06-02 10:00"))
    _deliverable(other, lead, "Not followed", TODAY, done_at=at("2026-06-08 16:00"))

    follows = Follows(partnerships=frozenset({proposal.pk}))
    with django_assert_num_queries(2):
        items = deliverables(follows, since=since, until=until)

    items.sort(key=lambda item: item.when, reverse=True)
    assert [(item.title, item.about) for item in items] == [
        ("Done: Done this week", "Women and peace"),
        ("Done: Overdue, then done", "Women and peace"),
        ("Overdue: Overdue since Friday", "Women and peace"),
    ]
    assert items[0].url.startswith(proposal.get_absolute_url() + "#deliverable-")
    nothing = Follows(organisations=frozenset({lead.pk}))
    assert deliverables(nothing, since=since, until=until) == []


def test_deliverables_are_a_digest_source():
    assert {source.id: source.items for source in SOURCES}["deliverables"] is deliverables


def test_a_follower_gets_the_deliverables_ticked_off_and_overdue_in_their_digest(
    partnership, django_capture_on_commit_callbacks
):
    proposal, lead = partnership
    partner = OrganisationFactory(name="Partner Org")
    ParticipantFactory(proposal=proposal, organisation=partner, answer=Answer.ACCEPTED)
    training = _deliverable(proposal, partner, "Training in Kinshasa", TODAY + 5 * DAY)
    _deliverable(proposal, lead, "Mid-term review", TODAY + DAY)
    person = UserFactory()
    client = Client()
    client.force_login(person)
    client.post(reverse("alerts:follow"), {"kind": "partnership", "slug": proposal.slug})

    with time_machine.travel(at("2026-06-12 15:00"), tick=False):
        services.mark_deliverable_done(
            deliverable=training, by=member_of(partner), note="Twenty trained."
        )
    mail.outbox.clear()
    with (
        time_machine.travel(at("2026-06-18 09:00"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_digests", verbosity=0)

    (digest,) = mail.outbox
    assert digest.to == [person.email]
    assert "Done: Training in Kinshasa" in digest.body
    assert "Overdue: Mid-term review" in digest.body
