"""Yearly confirmation by link: ``send_reminders`` at 12, 13 and 14 months, the signed link
that confirms without signing in (POST only, once), and every way a link can go wrong."""

import datetime
import re

import pytest
import time_machine
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from organisations import services
from organisations.models import ConfirmationReminder, Membership, Organisation
from tests.clock import at
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRMED = datetime.date(2025, 6, 10)
LINK = re.compile(r"https?://[^\s]+/organisations/[^/\s]+/confirm/[^/\s]+/")


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(
        name="Tosangana Peace Circle", slug="tosangana", last_confirmed=CONFIRMED
    )
    MembershipFactory(
        organisation=organisation,
        role=Membership.Role.OWNER,
        user=UserFactory(email="owner@example.org", preferred_language="en"),
    )
    MembershipFactory(
        organisation=organisation,
        role=Membership.Role.EDITOR,
        user=UserFactory(email="editor@example.org", preferred_language="nl"),
    )
    return organisation


@pytest.fixture
def run_reminders(django_capture_on_commit_callbacks):
    """Run ``send_reminders`` on a given day (noon, Amsterdam), return the mails it sent."""

    def run(day):
        sent_before = len(mail.outbox)
        with (
            time_machine.travel(at(f"{day} 12:00"), tick=False),
            django_capture_on_commit_callbacks(execute=True),
            translation.override("en"),
        ):
            call_command("send_reminders", verbosity=0)
        return mail.outbox[sent_before:]

    return run


def link_in(message):
    return LINK.search(message.body).group(0).replace("http://127.0.0.1:8000", "")


def reminders(organisation):
    return list(
        organisation.confirmation_reminders.order_by("sent_at").values_list("stage", flat=True)
    )


# send_reminders -----------------------------------------------------------------------------


def test_nothing_is_sent_before_12_months(organisation, run_reminders):
    assert run_reminders("2026-06-09") == []
    assert reminders(organisation) == []


def test_owners_and_editors_get_the_12_month_mail_each_in_their_language(
    organisation, run_reminders
):
    sent = run_reminders("2026-06-10")

    subjects = {message.to[0]: message.subject for message in sent}
    assert subjects == {
        "owner@example.org": "[PeaceNet] Is the entry of Tosangana Peace Circle still correct?",
        "editor@example.org": "[PeaceNet] Klopt de vermelding van Tosangana Peace Circle nog?",
    }
    links = {message.to[0]: link_in(message) for message in sent}
    assert len(set(links.values())) == 2  # one link each: bound to its recipient
    # Each opens the page in the recipient's language.
    assert links["owner@example.org"].startswith("/organisations/tosangana/confirm/")
    assert links["editor@example.org"].startswith("/nl/organisations/tosangana/confirm/")
    assert reminders(organisation) == [12]


def test_a_second_run_the_same_day_or_later_sends_nothing_new(organisation, run_reminders):
    run_reminders("2026-06-10")

    assert run_reminders("2026-06-10") == []
    assert run_reminders("2026-06-20") == []
    assert ConfirmationReminder.objects.count() == 1


def test_reminded_again_at_13_and_14_months_then_no_more(organisation, run_reminders):
    run_reminders("2026-06-10")

    at_13 = run_reminders("2026-07-10")
    at_14 = run_reminders("2026-08-10")
    later = run_reminders("2026-12-10")

    assert (len(at_13), len(at_14), later) == (2, 2, [])
    assert reminders(organisation) == [12, 13, 14]


def test_a_confirmation_starts_the_year_again(organisation, run_reminders):
    run_reminders("2026-06-10")
    Organisation.objects.filter(pk=organisation.pk).update(
        last_confirmed=datetime.date(2026, 6, 15)
    )

    assert run_reminders("2026-07-10") == []
    assert len(run_reminders("2027-06-15")) == 2


def test_a_late_first_run_sends_only_the_latest_stage(organisation, run_reminders):
    sent = run_reminders("2026-09-01")

    assert len(sent) == 2
    assert reminders(organisation) == [14]


def test_never_confirmed_entries_are_reminded_a_year_after_publication(run_reminders):
    organisation = OrganisationFactory(last_confirmed=None, published_at=at("2025-06-10 09:00"))
    MembershipFactory(organisation=organisation)

    assert len(run_reminders("2026-06-10")) == 1


def test_unpublished_and_memberless_organisations_get_no_reminder(run_reminders):
    pending = OrganisationFactory(status="pending", last_confirmed=CONFIRMED)
    MembershipFactory(organisation=pending)
    OrganisationFactory(last_confirmed=CONFIRMED)  # nobody to ask

    assert run_reminders("2026-06-10") == []
    assert ConfirmationReminder.objects.count() == 0


# The link -----------------------------------------------------------------------------------


@pytest.fixture
def owner_link(organisation, run_reminders):
    sent = run_reminders("2026-06-10")
    return link_in(next(m for m in sent if m.to == ["owner@example.org"]))


@pytest.fixture
def on_day():
    with time_machine.travel(at("2026-07-20 12:00"), tick=False):
        yield


def test_the_link_shows_the_facts_and_a_get_changes_nothing(client, organisation, owner_link):
    with time_machine.travel(at("2026-07-20 12:00"), tick=False):
        response = client.get(owner_link)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tosangana Peace Circle" in html
    assert "Still correct — confirm" in html
    edit = reverse("organisations:edit", kwargs={"slug": "tosangana"})
    assert f'href="/accounts/login/?next={edit.replace("/", "%2F")}"' in html
    organisation.refresh_from_db()
    assert organisation.last_confirmed == CONFIRMED
    assert ConfirmationReminder.objects.get().used_at is None


def test_confirming_by_link_needs_no_sign_in_and_clears_the_flag(
    client, organisation, owner_link, committed
):
    with time_machine.travel(at("2026-07-20 12:00"), tick=False):
        assert "Not confirmed since" in client.get(organisation.get_absolute_url()).text
        with committed():  # As the request commits: the cached profile is out of date.
            posted = client.post(owner_link)
        response = client.get(posted.url)

    organisation.refresh_from_db()
    assert organisation.last_confirmed == datetime.date(2026, 7, 20)
    reminder = ConfirmationReminder.objects.get()
    assert reminder.used_by.email == "owner@example.org"
    assert posted.url == organisation.get_absolute_url()
    assert "the details of Tosangana Peace Circle are confirmed" in response.text
    assert "Not confirmed since" not in response.text


def test_a_used_link_says_so_and_changes_nothing(client, organisation, owner_link):
    with time_machine.travel(at("2026-07-20 12:00"), tick=False):
        client.post(owner_link)
    with time_machine.travel(at("2026-07-25 12:00"), tick=False):
        response = client.post(owner_link)

    assert response.status_code == 400
    assert "This link has already been used" in response.text
    assert "confirmed on 20 July 2026" in response.text
    organisation.refresh_from_db()
    assert organisation.last_confirmed == datetime.date(2026, 7, 20)


def test_an_expired_link_says_what_to_do_next(client, organisation, owner_link):
    with time_machine.travel(at("2026-08-10 12:00"), tick=False):
        response = client.post(owner_link)

    assert response.status_code == 400
    assert "This link has expired" in response.text
    assert "valid for 60 days" in response.text
    organisation.refresh_from_db()
    assert organisation.last_confirmed == CONFIRMED


@pytest.mark.parametrize(
    "tamper",
    [
        lambda path: path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:],
        lambda path: path.replace("/tosangana/", "/another-organisation/"),
        lambda path: path.rsplit("/", 2)[0] + "/not-a-token/",
    ],
    ids=["signature", "other organisation", "garbage"],
)
def test_a_tampered_link_is_refused_with_a_clear_page(client, organisation, owner_link, tamper):
    OrganisationFactory(slug="another-organisation")
    with time_machine.travel(at("2026-07-20 12:00"), tick=False):
        response = client.post(tamper(owner_link))

    assert response.status_code == 400
    assert "This link is not valid" in response.text
    organisation.refresh_from_db()
    assert organisation.last_confirmed == CONFIRMED


def test_a_token_signed_for_another_purpose_is_not_valid(client, organisation):
    reminder = ConfirmationReminder.objects.create(
        organisation=organisation, stage=0, confirmed_since=CONFIRMED
    )
    owner = organisation.memberships.get(role="owner").user
    forged = signing.dumps({"r": reminder.pk, "u": owner.pk}, salt="organisations.other")
    url = reverse("organisations:confirm_by_link", kwargs={"slug": "tosangana", "token": forged})

    response = client.post(url)

    assert response.status_code == 400
    assert "This link is not valid" in response.text


def test_a_link_of_someone_no_longer_a_member_does_nothing(client, organisation, owner_link):
    organisation.memberships.filter(user__email="owner@example.org").delete()
    with time_machine.travel(at("2026-07-20 12:00"), tick=False):
        shown = client.get(owner_link)
        posted = client.post(owner_link)

    for response in (shown, posted):
        assert response.status_code == 400
        assert "You are no longer an owner or editor of Tosangana Peace Circle" in response.text
        assert "Still correct" not in response.text
    organisation.refresh_from_db()
    assert organisation.last_confirmed == CONFIRMED


def test_a_link_for_an_organisation_no_longer_listed_does_nothing(
    client, organisation, owner_link
):
    Organisation.objects.filter(pk=organisation.pk).update(status="archived")
    with time_machine.travel(at("2026-07-20 12:00"), tick=False):
        response = client.post(owner_link)

    assert response.status_code == 400
    assert "no longer listed" in response.text
    assert ConfirmationReminder.objects.get().used_at is None


def test_the_link_page_is_never_cached(client, organisation, owner_link):
    with time_machine.travel(at("2026-07-20 12:00"), tick=False):
        response = client.get(owner_link)

    assert (
        "no-store" in response.headers["Cache-Control"]
        or "max-age=0" in response.headers["Cache-Control"]
    )


# Staff: ask to confirm now -----------------------------------------------------------------


def test_staff_ask_to_confirm_now_mails_at_once(organisation, django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    memberless = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        asked, nobody = services.ask_to_confirm(
            organisations=Organisation.objects.filter(pk__in=[organisation.pk, memberless.pk]),
            by=staff,
        )

    assert (asked, nobody) == (1, [memberless])
    assert sorted(message.to[0] for message in mail.outbox) == [
        "editor@example.org",
        "owner@example.org",
    ]
    reminder = ConfirmationReminder.objects.get()
    assert (reminder.stage, reminder.requested_by) == (0, staff)


def test_done_when_the_owner_confirms_the_12_month_mail_and_a_second_run_sends_nothing(
    client, organisation, run_reminders, committed
):
    # A year after the last confirmation: the 12-month mail.
    owner_mail = next(m for m in run_reminders("2026-06-10") if m.to == ["owner@example.org"])
    link = link_in(owner_mail)

    # Five weeks later the entry is stale; the owner confirms by the link, not signed in.
    with time_machine.travel(at("2026-07-15 12:00"), tick=False):
        assert Organisation.objects.stale().filter(pk=organisation.pk).exists()
        assert "Not confirmed since" in client.get(organisation.get_absolute_url()).text
        with committed():  # As the request commits: the cached profile is out of date.
            posted = client.post(link)
        profile = client.get(posted.url)
        assert not Organisation.objects.stale().filter(pk=organisation.pk).exists()

    assert "Not confirmed since" not in profile.text
    assert "_auth_user_id" not in client.session
    assert run_reminders("2026-07-15") == []
    assert run_reminders("2026-08-10") == []
