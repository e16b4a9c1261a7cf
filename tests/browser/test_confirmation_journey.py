"""Confirming an entry by the emailed link in a real browser: a year after the last
confirmation the owner is mailed a link; weeks later the entry is flagged as not confirmed;
the owner opens the link, without signing in, presses "Still correct — confirm", and the
flag is gone. A second run of the reminders sends nothing."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from organisations.models import Membership, Organisation
from tests.clock import at
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+/organisations/[^/\s]+/confirm/[^/\s]+/")


def test_owner_confirms_by_the_mailed_link_without_signing_in(
    live_server, page, mailoutbox, screenshot, assert_accessible
):
    organisation = OrganisationFactory(
        name="Tosangana Peace Circle", last_confirmed=datetime.date(2025, 5, 1)
    )
    MembershipFactory(
        organisation=organisation,
        role=Membership.Role.OWNER,
        user=UserFactory(email="owner@tosangana.example"),
    )

    with time_machine.travel(at("2026-05-01 09:00"), tick=False):
        call_command("send_reminders", verbosity=0)
    assert [message.to for message in mailoutbox] == [["owner@tosangana.example"]]
    link = LINK.search(mailoutbox[0].body).group(0)

    with time_machine.travel(at("2026-06-10 14:00"), tick=False):
        page.goto(live_server.url + organisation.get_absolute_url())
        expect(page.locator(".stale-flag")).to_have_text("Not confirmed since 1 May 2025")
        assert_accessible()
        screenshot("flagged")

        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Are the details of Tosangana Peace Circle still correct?"
        )
        assert_accessible()
        screenshot("confirm-page")
        page.get_by_role("button", name="Still correct — confirm").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Tosangana Peace Circle")
        expect(
            page.get_by_text("the details of Tosangana Peace Circle are confirmed")
        ).to_be_visible()
        expect(page.locator(".stale-flag")).to_have_count(0)
        screenshot("confirmed")
        call_command("send_reminders", verbosity=0)

    assert len(mailoutbox) == 1
    organisation.refresh_from_db()
    assert organisation.last_confirmed == datetime.date(2026, 6, 10)
    assert not Organisation.objects.stale(datetime.date(2026, 6, 10)).exists()
