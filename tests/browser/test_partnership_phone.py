"""The partnership page on a 390 px phone: its participants become stacked cards, each value
labelled, and nothing makes the page scroll sideways."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Answer
from tests.browser.phone import PHONE
from tests.factories import OrganisationFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.browser_context_args(**PHONE)
def test_partnership_page_fits_a_phone(live_server, page, log_in, screenshot):
    lead = OrganisationFactory(name="Stichting Vredesopbouw Diaspora Nederland", kind="diaspora")
    proposal = ProposalFactory(
        lead_participant=lead, is_open_call=True, title="Youth dialogues in Somalia"
    )
    for name, answer in [
        ("International Centre for Transitional Justice Netherlands", Answer.ACCEPTED),
        ("Knowledge Platform Security and Rule of Law", Answer.INVITED),
    ]:
        participant = ParticipantFactory(
            proposal=proposal, organisation=OrganisationFactory(name=name), answer=answer
        )
        participant.message = "We bring researchers, facilitators and a meeting room in Den Haag."
        participant.save()
    log_in(member_of(lead))

    page.goto(live_server.url + proposal.get_absolute_url())

    row = page.locator("table.participants tbody tr").first
    expect(row).to_have_css("display", "block")
    expect(page.locator("table.participants thead")).not_to_be_visible()
    role = row.locator("td[data-label='Role']")
    label = role.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Role"'
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot("phone-partnership")
    assert width <= 390, f"the partnership page is {width}px wide on a 390px screen"
