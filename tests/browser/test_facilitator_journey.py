"""A network group's facilitator in a real browser: a member organisation's volunteer follows
the group from its page; the facilitator posts an announcement and adds a meeting from the
group page, and reads the member list; visitors then find both on the group page and the
meeting among the events, and a week later the follower's digest tells both."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event
from organisations.models import Announcement
from tests.factories import (
    FacilitatorFactory,
    MembershipFactory,
    NetworkGroupFactory,
    OrganisationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_facilitator_posts_an_announcement_and_a_meeting(
    live_server, page, new_context, log_in, mailoutbox, screenshot, assert_accessible
):
    group = NetworkGroupFactory(
        name="Gender", slug="gender", facilitator=OrganisationFactory(name="WO=MEN")
    )
    member_organisation = OrganisationFactory(name="Sahel Women for Peace")
    group.organisations.add(group.facilitator, member_organisation)
    facilitator = FacilitatorFactory(group=group, organisation=group.facilitator)
    day = timezone.localdate() + datetime.timedelta(days=30)

    # A volunteer of a member organisation follows the group from its page.
    follower = MembershipFactory(
        organisation=member_organisation, user__email="volunteer@sahel-women.example"
    ).user
    follower_page = new_context().new_page()
    log_in(follower, into=follower_page.context)
    follower_page.goto(live_server.url + group.get_absolute_url())
    follower_page.get_by_role("button", name="Follow this network group").click()
    expect(follower_page.get_by_role("button", name="Stop following")).to_be_visible()

    log_in(facilitator.user)
    page.goto(live_server.url + group.get_absolute_url())
    page.get_by_role("link", name="Post an announcement").click()
    assert_accessible()
    page.get_by_label("Title").fill("Breakfast on NAP 1325")
    page.get_by_label("Text").fill("Join us to prepare the next action plan.")
    page.get_by_label("Link").fill("https://www.wo-men.nl/")
    screenshot("announce")
    page.get_by_role("button", name="Post the announcement").click()
    expect(page.get_by_text("Your announcement is posted.")).to_be_visible()
    expect(page.get_by_role("heading", name="Breakfast on NAP 1325")).to_be_visible()
    screenshot("announced")

    page.get_by_role("link", name="Add a meeting of this group").click()
    assert_accessible()
    page.get_by_label("Title").fill("Gender group meeting")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts at").fill("15:00")
    page.get_by_label("Ends at").fill("17:00")
    page.get_by_label("Places").fill("20")
    screenshot("meeting")
    page.get_by_role("button", name="Publish the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gender group meeting")
    screenshot("meeting-published")

    meeting = Event.objects.get()
    assert meeting.is_published
    assert list(meeting.network_groups.all()) == [group]
    assert timezone.localtime(meeting.start).time() == datetime.time(15)
    assert Announcement.objects.get().posted_by == facilitator.user

    # The member list, and the event form for members, with its error messages.
    page.goto(live_server.url + reverse("organisations:group_members", args=[group.slug]))
    expect(page.get_by_role("link", name="WO=MEN")).to_be_visible()
    assert_accessible()
    page.goto(live_server.url + reverse("events:submit"))
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".error-summary").first).to_be_visible()
    assert_accessible()
    screenshot("submit-errors")

    # A visitor finds both.
    page.context.clear_cookies()
    page.goto(live_server.url + group.get_absolute_url())
    expect(page.get_by_role("heading", name="Breakfast on NAP 1325")).to_be_visible()
    expect(page.get_by_role("link", name="Gender group meeting")).to_be_visible()
    expect(page.get_by_role("link", name="Post an announcement")).to_have_count(0)
    assert_accessible()
    page.goto(live_server.url + reverse("events:list"))
    expect(page.get_by_role("link", name="Gender group meeting")).to_be_visible()
    screenshot("visitor")

    # A week later the follower's digest tells both.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7), tick=False):
        mailoutbox.clear()
        call_command("send_digests", verbosity=0)
    (digest,) = mailoutbox
    assert digest.to == ["volunteer@sahel-women.example"]
    assert "Breakfast on NAP 1325" in digest.body
    assert "Gender group meeting" in digest.body
