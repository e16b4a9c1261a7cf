"""Deliverables and reporting in a real browser: the lead adds three deliverables, the partner
ticks one off with a note, the clock moves three months and the quarterly reminder goes out,
and a visitor sees what is done, due and overdue, and when the next report is due."""

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from partnerships.models import Answer, Deliverable, ProposalStatus
from tests.clock import at
from tests.factories import OrganisationFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_adds_deliverables_partner_ticks_one_off_reminder_and_public_page(
    live_server, page, new_context, log_in, screenshot, assert_accessible
):
    with time_machine.travel(at("2026-03-02 10:00"), tick=True):
        lead = OrganisationFactory(name="Alpha Diaspora")
        partner = OrganisationFactory(name="Bravo NGO")
        proposal = ProposalFactory(
            lead_participant=lead, status=ProposalStatus.ACTIVE, title="Women and peace"
        )
        ParticipantFactory(proposal=proposal, organisation=partner, answer=Answer.ACCEPTED)
        alice, bob = member_of(lead, email="alice@example.org"), member_of(partner)
        url = live_server.url + proposal.get_absolute_url()

        # The lead adds three deliverables.
        log_in(alice)
        page.goto(url)
        for what, who, due in [
            ("Training for diaspora women", "Bravo NGO", "2026-04-30"),
            ("Mid-term review", "Alpha Diaspora", "2026-05-15"),
            ("Networking day", "Bravo NGO", "2026-09-30"),
        ]:
            page.get_by_label("What:", exact=True).fill(what)
            page.get_by_label("Who:", exact=True).select_option(label=who)
            page.get_by_label("Due date").fill(due)
            page.get_by_role("button", name="Add the deliverable").click()
            expect(page.get_by_text(f"“{what}” is added to the deliverables.")).to_be_visible()
        screenshot("deliverables-added")
        assert_accessible()  # The lead's page, with every form it offers.
        assert Deliverable.objects.filter(proposal=proposal).count() == 3

        # The partner ticks its training off, with a note.
        context = new_context()
        log_in(bob, into=context)
        bob_page = context.new_page()
        bob_page.goto(url)
        expect(bob_page.get_by_role("button", name="Mark “Mid-term review” done")).to_have_count(0)
        bob_page.get_by_label("Note (optional)").first.fill("Twenty women trained.")
        bob_page.get_by_role("button", name="Mark “Training for diaspora women” done").click()
        expect(bob_page.get_by_text("is marked done")).to_be_visible()
        screenshot("ticked-off", of=bob_page)

    # Three months on, the daily job asks the lead for a progress report.
    with time_machine.travel(at("2026-06-02 09:00"), tick=False):
        call_command("send_progress_reminders", verbosity=0)
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    assert "progress report" in mail.outbox[0].subject

    # A visitor sees what is done, due and overdue.
    with time_machine.travel(at("2026-06-02 10:00"), tick=True):
        visitor = new_context().new_page()
        visitor.goto(url)
        expect(visitor.get_by_text("1 done, 1 due, 1 overdue")).to_be_visible()
        expect(visitor.get_by_text("Twenty women trained.")).to_be_visible()
        expect(visitor.get_by_text("Next progress report due on 2 June 2026.")).to_be_visible()
        screenshot("public-page", of=visitor)
        assert_accessible(visitor)
