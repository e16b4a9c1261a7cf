"""The partnership journey in a real browser: A proposes to B and C with the search-as-you-type
partner picker, B accepts, C declines, the partnership becomes active and shows on both
profiles with its history, and D's interest in the open call is accepted by the lead."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partnerships.models import Answer, PartnershipProposal, ProposalStatus
from tests.factories import OrganisationFactory
from tests.partnerships.factories import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_propose_answer_and_join_a_partnership(
    live_server, page, new_context, log_in, screenshot, assert_accessible
):
    a = OrganisationFactory(name="Alpha Diaspora", kind="diaspora")
    b = OrganisationFactory(name="Bravo NGO", kind="ngo")
    c = OrganisationFactory(name="Charlie Ministry", kind="government")
    d = OrganisationFactory(name="Delta Institute", kind="knowledge_institute")
    alice, bob, carol, dan = member_of(a), member_of(b), member_of(c), member_of(d)

    def page_for(user):
        context = new_context()
        log_in(user, into=context)
        return context.new_page()

    # A proposes, choosing partners as they type.
    log_in(alice)
    page.goto(live_server.url + reverse("partnerships:propose"))
    assert_accessible()
    page.get_by_label("Title").fill("Diaspora voices in peace talks")
    page.get_by_label("Summary").fill("Bring diaspora knowledge to peace processes.")
    page.get_by_label("What and why").fill("Three dialogues a year.")
    search = page.get_by_label("Find organisations to invite")
    search.fill("brav")
    page.get_by_label("Bravo NGO").check()
    search.fill("charl")
    page.get_by_label("Charlie Ministry").check()
    expect(page.get_by_label("Bravo NGO")).to_be_checked()  # Still chosen after a new search.
    page.get_by_label("Open call").check()
    screenshot("propose", of=page)
    page.get_by_role("button", name="Submit the proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diaspora voices in peace talks")
    screenshot("proposed")
    proposal = PartnershipProposal.objects.get()
    assert {p.organisation for p in proposal.participants.filter(answer=Answer.INVITED)} == {b, c}

    # B accepts, C declines.
    bob_page = page_for(bob)
    bob_page.goto(live_server.url + proposal.get_absolute_url())
    bob_page.get_by_label("Message (optional)").fill("Gladly.")
    bob_page.get_by_role("button", name="Accept").click()
    expect(bob_page.get_by_text("You accepted the invitation.")).to_be_visible()
    screenshot("accepted", of=bob_page)
    carol_page = page_for(carol)
    carol_page.goto(live_server.url + proposal.get_absolute_url())
    carol_page.locator("summary", has_text="Decline").click()  # Declining asks first.
    carol_page.get_by_role("button", name="Yes, decline the invitation").click()
    expect(carol_page.get_by_text("You declined the invitation.")).to_be_visible()
    screenshot("declined", of=carol_page)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACTIVE

    # Both profiles show it.
    for organisation in (a, b):
        page.goto(live_server.url + organisation.get_absolute_url())
        expect(page.get_by_role("link", name="Diaspora voices in peace talks")).to_be_visible()
        screenshot(f"profile-{organisation.slug}")

    # D expresses interest; the lead accepts it.
    dan_page = page_for(dan)
    dan_page.goto(live_server.url + proposal.get_absolute_url())
    dan_page.get_by_label("What would you bring? (optional)").fill("Research.")
    dan_page.get_by_role("button", name="Express interest").click()
    expect(dan_page.get_by_text("Your interest is sent")).to_be_visible()
    screenshot("interest-sent", of=dan_page)
    page.goto(live_server.url + proposal.get_absolute_url())
    page.get_by_role("button", name="Accept Delta Institute").click()
    expect(page.get_by_text("Delta Institute joins the partnership.")).to_be_visible()
    assert proposal.participants.get(organisation=d).answer == Answer.ACCEPTED

    # The history shows every step.
    history = page.locator("ol.history li")
    expect(history).to_have_count(8)
    expect(history.nth(3)).to_contain_text("Open: seeking partners → Forming")
    expect(history.nth(5)).to_contain_text("Forming → Active")
    expect(history.nth(7)).to_contain_text("Delta Institute: Interested → Accepted")
    screenshot("active-partnership", of=page)
    assert_accessible()
