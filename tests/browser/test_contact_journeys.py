"""In a real browser: a message to an organisation nobody manages reaches staff, who pass it on
with an invitation to claim the entry, which the organisation then claims; and an owner
hands ownership over and steps down."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import ClaimRequest, ContactMessage, Membership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAIM_LINK = re.compile(r"https?://\S+/organisations/[^/\s]+/claim/")


def test_a_message_to_an_organisation_nobody_manages_reaches_staff_who_invite_it_to_claim(
    live_server, page, new_context, log_in, mailoutbox, screenshot
):
    organisation = OrganisationFactory(
        name="Sahel Women for Peace", email="info@sahel-women.example"
    )
    staff = UserFactory(is_staff=True, is_superuser=True, email="moderator@peacenet.example")
    log_in(UserFactory(email="researcher@example.org"))

    page.goto(live_server.url + organisation.get_absolute_url())
    page.get_by_role("link", name="Send this organisation a message").click()
    expect(page.locator(".lead")).to_contain_text("staff, who will pass it on")
    page.get_by_label(re.compile("^Subject")).fill("Joint workshop on women, peace and security")
    page.get_by_label(re.compile("^Message")).fill("Would you co-host a workshop in March?")
    screenshot("message")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(
        "PeaceNet's staff, who will pass it on"
    )
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == ["moderator@peacenet.example", "researcher@example.org"]

    staff_page = new_context().new_page()
    log_in(staff, into=staff_page.context, mfa=True)
    staff_page.goto(
        live_server.url + reverse("admin:organisations_contactmessage_changelist") + "?waiting=yes"
    )
    row = staff_page.get_by_role("row", name=re.compile("Joint workshop"))
    row.get_by_role("checkbox").check()
    staff_page.get_by_label("Action:").select_option(
        label="Forward with an invitation to claim the entry (no members yet)"
    )
    staff_page.get_by_role("button", name="Run").click()
    expect(staff_page.locator(".messagelist")).to_contain_text("1 message passed on")
    screenshot("passed-on", of=staff_page)
    assert ContactMessage.objects.get().passed_on == ContactMessage.PassedOn.CLAIM_INVITATION

    [invitation] = [m for m in mailoutbox if m.to == ["info@sahel-women.example"]]
    assert "Would you co-host a workshop in March?" in invitation.body
    representative = new_context().new_page()
    log_in(UserFactory(email="info@sahel-women.example"), into=representative.context)
    representative.goto(CLAIM_LINK.search(invitation.body).group(0))
    representative.get_by_label(re.compile("represent this organisation")).fill(
        "I coordinate the network; your invitation reached our office address."
    )
    representative.get_by_role("button", name="Send the request").click()
    expect(representative.get_by_text("Claim sent, waiting for review").first).to_be_visible()
    screenshot("claim-sent", of=representative)
    assert ClaimRequest.objects.get().organisation == organisation


def test_an_owner_hands_over_and_steps_down(live_server, page, log_in, screenshot):
    organisation = OrganisationFactory(name="Hague Youth Dialogue")
    owner = log_in(UserFactory(first_name="Pieter", last_name="de Vries"))
    mine = MembershipFactory(organisation=organisation, user=owner, role=Membership.Role.OWNER)
    editor = MembershipFactory(
        organisation=organisation,
        role=Membership.Role.EDITOR,
        user=UserFactory(first_name="Amina", last_name="Yusuf", email="amina@example.org"),
    )

    page.goto(live_server.url + reverse("organisations:members", args=[organisation.slug]))
    expect(page.get_by_role("button", name="Remove me")).to_have_count(0)
    page.get_by_role("button", name="Make Amina Yusuf an owner").click()
    expect(page.get_by_text("Amina Yusuf is now an owner.")).to_be_visible()
    screenshot("two-owners")
    page.get_by_role("button", name="Step down to editor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    screenshot("stepped-down")

    mine.refresh_from_db()
    editor.refresh_from_db()
    assert (mine.role, editor.role) == (Membership.Role.EDITOR, Membership.Role.OWNER)
