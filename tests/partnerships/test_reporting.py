"""Progress reports on a schedule: every three months after the last report (or after the
partnership became active) the lead is reminded, once per due date, by a daily idempotent
command; six months of silence shows as "no news since". The clock is moved by time-machine."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from partnerships import services
from partnerships.models import (
    Answer,
    PartnershipProposal,
    ProgressReminder,
    ProgressUpdate,
    ProposalStatus,
    StatusChange,
)
from partnerships.reporting import add_months
from tests.clock import at
from tests.factories import OrganisationFactory
from tests.languages import in_language
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = pytest.mark.django_db

BECAME_ACTIVE = at("2026-01-15 11:00")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-01-15", 3, "2026-04-15"),
        ("2026-05-31", 3, "2026-08-31"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2027-11-30", 3, "2028-02-29"),
        ("2026-10-20", 6, "2027-04-20"),
    ],
)
def test_add_months_keeps_within_the_month(day, months, expected):
    day = datetime.date.fromisoformat(day)

    assert add_months(day, months) == datetime.date.fromisoformat(expected)


@pytest.fixture
def partnership():
    """Active since 15 January 2026, led by Lead Org (one member writes Dutch, one English)
    with Partner Org; created on 1 December 2025."""
    lead, partner = OrganisationFactory(name="Lead Org"), OrganisationFactory(name="Partner Org")
    with time_machine.travel(at("2025-12-01 10:00"), tick=False):
        proposal = ProposalFactory(
            lead_participant=lead, status=ProposalStatus.ACTIVE, title="Women and peace"
        )
        ParticipantFactory(proposal=proposal, organisation=partner, answer=Answer.ACCEPTED)
    StatusChange.objects.create(
        proposal=proposal, from_status="forming", to_status="active", at=BECAME_ACTIVE
    )
    return {
        "proposal": proposal,
        "lead": lead,
        "partner": partner,
        "dutch": member_of(lead, email="lid@example.org", preferred_language="nl"),
        "english": member_of(lead, email="member@example.org", preferred_language="en"),
        "partner_member": member_of(partner, email="partner@example.org"),
    }


def remind(moment, django_capture_on_commit_callbacks):
    mail.outbox = []
    with (
        time_machine.travel(moment, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_progress_reminders", verbosity=0)
    return mail.outbox


def schedule(proposal, moment):
    with time_machine.travel(moment, tick=False):
        return PartnershipProposal.objects.get(pk=proposal.pk).reporting


def test_schedule_counts_from_becoming_active_then_from_the_last_report(partnership):
    proposal = partnership["proposal"]

    first = schedule(proposal, at("2026-03-01 12:00"))
    assert (first.last_news, first.next_due, first.report_is_late) == (
        datetime.date(2026, 1, 15),
        datetime.date(2026, 4, 15),
        False,
    )
    assert schedule(proposal, at("2026-04-16 12:00")).report_is_late

    ProgressUpdate.objects.create(
        proposal=proposal, organisation=partnership["partner"], date=datetime.date(2026, 4, 20)
    )
    after = schedule(proposal, at("2026-05-01 12:00"))
    assert (after.last_report, after.next_due) == (
        datetime.date(2026, 4, 20),
        datetime.date(2026, 7, 20),
    )


def test_nothing_is_sent_before_three_months(partnership, django_capture_on_commit_callbacks):
    assert remind(at("2026-04-14 09:00"), django_capture_on_commit_callbacks) == []
    assert not ProgressReminder.objects.exists()


def test_quarterly_reminder_goes_to_the_lead_in_each_members_language_once(
    partnership, django_capture_on_commit_callbacks
):
    sent = remind(at("2026-04-15 09:00"), django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in sent}
    assert sorted(by_address) == ["lid@example.org", "member@example.org"]  # Not the partner.
    english, dutch = by_address["member@example.org"], by_address["lid@example.org"]
    assert english.subject == "[PeaceNet] How is it going? A progress report on Women and peace"
    assert "a progress report was due on 15 April 2026" in english.body
    assert partnership["proposal"].get_absolute_url() + "#progress" in english.body
    assert dutch.subject == "[PeaceNet] Hoe gaat het? Een voortgangsverslag over Women and peace"
    assert "op 15 april 2026 werd een voortgangsverslag verwacht" in dutch.body
    assert list(ProgressReminder.objects.values_list("due", flat=True)) == [
        datetime.date(2026, 4, 15)
    ]

    # A second run the same day, and runs on the days after, send nothing new.
    assert remind(at("2026-04-15 21:00"), django_capture_on_commit_callbacks) == []
    assert remind(at("2026-05-20 09:00"), django_capture_on_commit_callbacks) == []
    assert ProgressReminder.objects.count() == 1


def test_a_late_run_reminds_once_of_the_latest_due_date(
    partnership, django_capture_on_commit_callbacks
):
    sent = remind(at("2026-08-01 09:00"), django_capture_on_commit_callbacks)

    assert len(sent) == 2  # One for each member, for the report due on 15 July.
    assert list(ProgressReminder.objects.values_list("due", flat=True)) == [
        datetime.date(2026, 7, 15)
    ]


def test_silence_is_reminded_every_three_months_and_a_report_restarts_the_count(
    partnership, django_capture_on_commit_callbacks
):
    remind(at("2026-04-15 09:00"), django_capture_on_commit_callbacks)
    assert len(remind(at("2026-07-15 09:00"), django_capture_on_commit_callbacks)) == 2

    with time_machine.travel(at("2026-08-03 10:00"), tick=False):
        services.post_progress_update(
            proposal=partnership["proposal"],
            organisation=partnership["partner"],
            by=partnership["partner_member"],
            text="The first training was held.",
        )

    assert remind(at("2026-10-15 09:00"), django_capture_on_commit_callbacks) == []
    assert len(remind(at("2026-11-03 09:00"), django_capture_on_commit_callbacks)) == 2
    assert sorted(ProgressReminder.objects.values_list("due", flat=True)) == [
        datetime.date(2026, 4, 15),
        datetime.date(2026, 7, 15),
        datetime.date(2026, 11, 3),
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"status": ProposalStatus.COMPLETED},
        {"status": ProposalStatus.WITHDRAWN},
        {"is_hidden": True, "hidden_reason": "Spam."},
    ],
)
def test_only_active_public_partnerships_are_reminded(
    partnership, django_capture_on_commit_callbacks, change
):
    PartnershipProposal.objects.filter(pk=partnership["proposal"].pk).update(**change)

    assert remind(at("2026-04-15 09:00"), django_capture_on_commit_callbacks) == []


def test_six_months_of_silence_shows_no_news_since(client, partnership):
    proposal = partnership["proposal"]
    ProgressUpdate.objects.create(
        proposal=proposal,
        organisation=partnership["partner"],
        date=datetime.date(2026, 2, 10),
        text="Kick-off meeting.",
    )

    with time_machine.travel(at("2026-08-09 12:00"), tick=False):
        before = client.get(proposal.get_absolute_url()).content.decode()
    with time_machine.travel(at("2026-08-10 12:00"), tick=False):
        page = client.get(proposal.get_absolute_url()).content.decode()
        listing = client.get("/partnerships/").content.decode()
        dutch = client.get(in_language(proposal.get_absolute_url(), "nl")).content.decode()

    assert "No news since" not in before
    assert "Next progress report due" not in page
    assert "A progress report was due on 10 May 2026." in page
    assert "No news since 10 February 2026." in page
    assert "No news since 10 February 2026." in listing
    assert "Geen nieuws sinds 10 februari 2026." in dutch


def test_page_shows_the_reporting_history_and_next_report_due(client, partnership):
    proposal = partnership["proposal"]
    ProgressUpdate.objects.create(
        proposal=proposal,
        organisation=partnership["lead"],
        date=datetime.date(2026, 3, 2),
        text="Two workshops held in The Hague.",
    )

    with time_machine.travel(at("2026-04-01 12:00"), tick=False):
        html = client.get(proposal.get_absolute_url()).content.decode()

    assert "Next progress report due on 2 June 2026." in html
    assert "Two workshops held in The Hague." in html
    assert "No news since" not in html


def test_a_progress_update_dated_in_the_future_is_refused(client, partnership):
    client.force_login(partnership["partner_member"])

    with time_machine.travel(at("2026-04-01 12:00"), tick=False):
        client.post(
            f"{partnership['proposal'].get_absolute_url()}progress/",
            {"organisation": partnership["partner"].pk, "date": "2026-04-02", "text": "Soon."},
        )

    assert not ProgressUpdate.objects.exists()
