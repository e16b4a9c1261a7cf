"""Facilitators of a network group: appointed by staff, they post announcements (on the
group's page and in its Atom feed), read the member list with the contact details members
may see and take it as CSV; each of their actions is in the admin history."""

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from organisations.models import Announcement, Facilitator, Membership, NetworkGroup
from tests.accounts import sign_in_with_mfa, sign_in_with_password
from tests.clock import at
from tests.factories import (
    AnnouncementFactory,
    FacilitatorFactory,
    MembershipFactory,
    NetworkGroupFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    facilitating = OrganisationFactory(name="WO=MEN")
    return NetworkGroupFactory(name="Gender", slug="gender", facilitator=facilitating)


@pytest.fixture
def facilitator(group):
    return FacilitatorFactory(group=group, organisation=group.facilitator)


def announce(client, group, **data):
    return client.post(reverse("organisations:announce", kwargs={"slug": group.slug}), data)


def history_of(obj):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


# Who may post ---------------------------------------------------------------------------------


def test_only_appointed_members_of_a_published_facilitating_organisation_may_post(
    group, facilitator
):
    colleague = MembershipFactory(organisation=group.facilitator).user  # not appointed
    left = FacilitatorFactory(group=group, organisation=OrganisationFactory())
    Membership.objects.filter(user=left.user).delete()  # left their organisation
    unlisted = FacilitatorFactory(group=group, organisation=OrganisationFactory(status="archived"))
    elsewhere = FacilitatorFactory(organisation=group.facilitator)  # another group's

    assert group.posting_organisation_for(facilitator.user) == (True, group.facilitator)
    for user in (colleague, left.user, unlisted.user, elsewhere.user, UserFactory(), None):
        assert group.posting_organisation_for(user) == (False, None)


def test_staff_post_only_with_their_second_factor(client, group):
    staff = UserFactory(is_staff=True, is_superuser=True)
    data = {"title": "From staff", "text": "Hello."}

    sign_in_with_password(client, staff)
    assert announce(client, group, **data).status_code == 403
    sign_in_with_mfa(client, staff)
    assert announce(client, group, **data).status_code == 302

    announcement = Announcement.objects.get()
    assert (announcement.posted_by, announcement.organisation) == (staff, group.facilitator)


def test_appointing_someone_outside_the_facilitating_organisation_is_refused(group):
    appointment = Facilitator(group=group, user=UserFactory(), organisation=group.facilitator)

    with pytest.raises(ValidationError) as error:
        appointment.full_clean()

    assert "Appoint a member of the facilitating organisation." in str(error.value)


def test_staff_appoint_facilitators_in_the_group_admin(client, group):
    person = MembershipFactory(organisation=group.facilitator).user
    sign_in_with_mfa(client, UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:organisations_networkgroup_change", args=[group.pk])
    data = {
        "name_en": group.name,
        "slug": group.slug,
        "tagline_en": group.tagline,
        "description_en": "",
        "facilitator": group.facilitator.pk,
        "position": 0,
        "facilitators-TOTAL_FORMS": 1,
        "facilitators-INITIAL_FORMS": 0,
        "facilitators-0-user": person.pk,
        "facilitators-0-organisation": group.facilitator.pk,
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert group.may_post(person)
    assert history_of(group).filter(action_flag=CHANGE).exists()


# Announcements --------------------------------------------------------------------------------


def test_a_facilitator_posts_an_announcement_shown_on_the_page_and_in_the_feed(
    client, group, facilitator
):
    client.force_login(facilitator.user)

    response = announce(
        client,
        group,
        title="Breakfast on NAP 1325",
        text="Join us to prepare the next action plan.",
        link="https://www.wo-men.nl/nap",
    )

    announcement = Announcement.objects.get()
    assert response.url == group.get_absolute_url()
    assert (announcement.group, announcement.organisation, announcement.posted_by) == (
        group,
        group.facilitator,
        facilitator.user,
    )
    assert announcement.link == "https://www.wo-men.nl/nap"
    entry = history_of(announcement).get()
    assert (entry.user, entry.action_flag) == (facilitator.user, ADDITION)
    client.logout()
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Breakfast on NAP 1325" in page
    assert f'id="announcement-{announcement.pk}"' in page
    assert 'href="https://www.wo-men.nl/nap"' in page
    feed = client.get(group.get_feed_url())
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Breakfast on NAP 1325" in feed.content.decode()
    assert "WO=MEN" in feed.content.decode()


def test_the_group_page_links_its_atom_feed(client, group):
    page = client.get(group.get_absolute_url()).content.decode()

    assert (
        f'<link rel="alternate" type="application/atom+xml" href="{group.get_feed_url()}"' in page
    )


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://example.org/file", "data:text/html,hi", "not a url"]
)
def test_an_announcement_link_must_be_http_or_https(client, group, facilitator, link):
    client.force_login(facilitator.user)

    response = announce(client, group, title="News", text="Text.", link=link)

    assert response.status_code == 200
    assert "Enter a web address that begins with http:// or https://." in response.content.decode()
    assert not Announcement.objects.exists()
    assert not LogEntry.objects.exists()


def test_an_announcement_needs_a_title_and_a_text(client, group, facilitator):
    client.force_login(facilitator.user)

    response = announce(client, group, title="", text="")

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"title", "text"}
    assert not Announcement.objects.exists()


def test_a_member_who_is_not_a_facilitator_cannot_post(client, group, facilitator):
    client.force_login(MembershipFactory(organisation=group.facilitator).user)

    assert client.get(reverse("organisations:announce", args=[group.slug])).status_code == 403
    assert announce(client, group, title="Mine", text="Hi.").status_code == 403
    assert not Announcement.objects.exists()


def test_a_facilitator_posts_only_to_their_own_group(client, group, facilitator):
    other = NetworkGroupFactory()
    client.force_login(facilitator.user)

    assert announce(client, other, title="Elsewhere", text="Hi.").status_code == 403
    assert not Announcement.objects.exists()


def test_hidden_announcements_show_neither_on_the_page_nor_in_the_feed(client, group):
    AnnouncementFactory(group=group, title="Visible news")
    AnnouncementFactory(group=group, title="Hidden spam", is_hidden=True)

    page = client.get(group.get_absolute_url()).content.decode()
    feed = client.get(group.get_feed_url()).content.decode()

    assert "Visible news" in page
    assert "Visible news" in feed
    assert "Hidden spam" not in page
    assert "Hidden spam" not in feed


def test_staff_hide_an_announcement_in_the_admin_and_it_is_recorded(client, group):
    announcement = AnnouncementFactory(group=group, title="Off topic")
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in_with_mfa(client, staff)

    client.post(
        reverse("admin:organisations_announcement_changelist"),
        {"action": "hide", "_selected_action": [announcement.pk]},
    )

    announcement.refresh_from_db()
    assert announcement.is_hidden
    assert history_of(announcement).get().user == staff
    assert "Off topic" not in client.get(group.get_absolute_url()).content.decode()


def test_facilitator_tools_show_only_to_those_who_may_post(client, group, facilitator):
    tools = reverse("organisations:announce", args=[group.slug])

    assert tools not in client.get(group.get_absolute_url()).content.decode()
    client.force_login(MembershipFactory(organisation=group.facilitator).user)
    assert tools not in client.get(group.get_absolute_url()).content.decode()
    client.force_login(facilitator.user)
    page = client.get(group.get_absolute_url()).content.decode()
    assert tools in page
    assert reverse("events:add_group_meeting", args=[group.slug]) in page


def test_the_feed_of_an_unknown_group_is_404(client):
    assert client.get("/network-groups/no-such-group/feed/").status_code == 404


# The member list ------------------------------------------------------------------------------


@pytest.fixture
def members(group):
    public = OrganisationFactory(
        name="Open Doors", email="info@open.example", email_visibility="public"
    )
    for_members = OrganisationFactory(
        name="Members First",
        phone="+31 70 123 4567",
        phone_visibility="members",
        email="secret@first.example",
        email_visibility="admins",
        address="Laan 1",
        postcode="2511 AA",
        address_visibility="members",
    )
    formula = OrganisationFactory(
        name='=HYPERLINK("http://evil.example")', email="@x.example", email_visibility="members"
    )
    pending = OrganisationFactory(name="Not Yet Listed", status="pending")
    group.organisations.add(public, for_members, formula, pending)
    return [public, for_members, formula]


def test_a_facilitator_sees_members_with_the_contacts_members_may_see(
    client, group, facilitator, members
):
    client.force_login(facilitator.user)

    page = client.get(reverse("organisations:group_members", args=[group.slug])).content.decode()

    assert "info@open.example" in page
    assert "+31 70 123 4567" in page
    assert "Laan 1" in page
    assert "secret@first.example" not in page  # administrators only
    assert "Not Yet Listed" not in page


def test_the_member_list_csv_is_safe_in_a_spreadsheet_and_recorded(
    client, group, facilitator, members
):
    client.force_login(facilitator.user)

    response = client.post(reverse("organisations:group_members_csv", args=[group.slug]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {"Open Doors", "Members First", '\'=HYPERLINK("http://evil.example")'}
    # A leading + is a formula start too (as in the directory export).
    assert by_name["Members First"]["phone"] == "'+31 70 123 4567"
    assert by_name["Members First"]["email"] == ""
    assert by_name['\'=HYPERLINK("http://evil.example")']["email"] == "'@x.example"
    entry = history_of(group).get()
    assert (entry.user, entry.action_flag) == (facilitator.user, CHANGE)


@pytest.mark.parametrize(
    ("name", "method"),
    [("organisations:group_members", "get"), ("organisations:group_members_csv", "post")],
)
def test_the_member_list_is_for_facilitators_only(
    client, group, facilitator, members, name, method
):
    url = reverse(name, args=[group.slug])

    assert getattr(client, method)(url).status_code == 302  # sign in first
    client.force_login(MembershipFactory(organisation=members[0]).user)
    assert getattr(client, method)(url).status_code == 403
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("count", [1, 20])
def test_the_member_list_query_count_is_fixed(
    client, group, facilitator, django_assert_num_queries, count
):
    group.organisations.add(*OrganisationFactory.create_batch(count))
    client.force_login(facilitator.user)

    # Session and user, the group, the facilitator check, the count and the page.
    with django_assert_num_queries(6):
        response = client.get(reverse("organisations:group_members", args=[group.slug]))

    assert len(response.context["rows"]) == count


def test_network_group_model_has_no_facilitator_duplicates(group, facilitator):
    with pytest.raises(ValidationError):
        Facilitator(
            group=group, user=facilitator.user, organisation=group.facilitator
        ).full_clean()
    assert NetworkGroup.objects.get(pk=group.pk).facilitators.count() == 1


# Followers' digests ---------------------------------------------------------------------------

MONDAY = at("2026-06-01 09:00")


def test_a_follower_of_the_group_gets_the_announcement_and_the_meeting_in_the_digest(
    client, group, facilitator, django_capture_on_commit_callbacks
):
    follower = UserFactory(email="follower@example.org")
    follower_client = Client()
    follower_client.force_login(follower)
    with time_machine.travel(MONDAY, tick=False):
        follower_client.post(reverse("alerts:follow"), {"kind": "group", "slug": group.slug})
    client.force_login(facilitator.user)
    with time_machine.travel(MONDAY + datetime.timedelta(days=1), tick=False):
        announce(client, group, title="Breakfast on NAP 1325", text="Join us.")
        client.post(
            reverse("events:add_group_meeting", args=[group.slug]),
            {
                "title": "Gender group meeting",
                "day": "2026-06-17",
                "start_time": "15:00",
                "end_time": "17:00",
                "city": "The Hague",
            },
        )
        AnnouncementFactory(group=group, title="Hidden by staff", is_hidden=True)
        AnnouncementFactory(title="Another group's news")

    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests", verbosity=0)

    (digest,) = [message for message in mail.outbox if message.to == [follower.email]]
    assert "Breakfast on NAP 1325" in digest.body
    assert "Announcements in your network groups" in digest.body
    assert "Gender group meeting" in digest.body
    assert "Hidden by staff" not in digest.body
    assert "Another group's news" not in digest.body
