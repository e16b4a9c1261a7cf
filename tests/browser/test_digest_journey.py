"""A digest in a real browser: a person follows the gender network group from its page; a
week later the digest lists the week's new open call, and its one-click link stops the
digests without signing in."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from alerts.models import Frequency, Subscription
from partnerships.models import PartnershipProposal
from partnerships.services import create_proposal
from tests.clock import at
from tests.factories import NetworkGroupFactory, OrganisationFactory, UserFactory
from tests.partnerships.factories import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Ahead of the real date, so that the browser keeps the session cookie made at this moment.
MONDAY = at("2027-03-01 09:00")
DAY = datetime.timedelta(days=1)


def test_a_gender_follower_gets_the_weeks_open_call_and_unsubscribes_in_one_click(
    live_server, page, log_in, mailoutbox, screenshot, assert_accessible
):
    gender = NetworkGroupFactory(name="Gender", slug="gender")
    lead = OrganisationFactory(name="WO=MEN")
    person = UserFactory(email="follower@example.org")

    with time_machine.travel(MONDAY, tick=False):
        log_in(person)
        page.goto(live_server.url + gender.get_absolute_url())
        page.get_by_role("button", name="Follow this network group").click()
        expect(page.get_by_role("button", name="Stop following")).to_be_visible()

    with time_machine.travel(MONDAY + 2 * DAY, tick=False):
        create_proposal(
            proposal=PartnershipProposal(
                title="Women mediators in the Great Lakes",
                summary="Partners sought.",
                description="Why and what.",
                network_group=gender,
                is_open_call=True,
            ),
            themes=[],
            lead=lead,
            partners=[],
            by=member_of(lead),
            submit=True,
        )

    with time_machine.travel(MONDAY + 7 * DAY, tick=False):
        mailoutbox.clear()
        call_command("send_digests", verbosity=0)
        (digest,) = mailoutbox
        assert digest.to == ["follower@example.org"]
        assert "Women mediators in the Great Lakes" in digest.body
        link = re.fullmatch(r"<(.+)>", digest.extra_headers["List-Unsubscribe"]).group(1)
        assert link in digest.body

        # The link from the mail, opened by someone who is not signed in.
        page.context.clear_cookies()
        page.goto(link)
        assert_accessible()
        screenshot("unsubscribe", of=page)
        assert Subscription.objects.get(user=person).frequency == Frequency.WEEKLY
        page.get_by_role("button", name="Unsubscribe").click()
        expect(
            page.get_by_text("No more digests will be mailed to follower@example.org.")
        ).to_be_visible()
        screenshot("unsubscribed", of=page)
        assert Subscription.objects.get(user=person).frequency == Frequency.NEVER

        mailoutbox.clear()
        call_command("send_digests", verbosity=0)
        assert mailoutbox == []
