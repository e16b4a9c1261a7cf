"""Stale entries: the one rule (``Confirmation``, ``Organisation.confirmed_since``, the
``stale``/``recent`` QuerySet methods) on a frozen clock."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from organisations import services
from organisations.models import Confirmation, Organisation, months_before
from tests.clock import NOW, at, frozen_clock
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = NOW.date()  # 10 June 2026


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 6, 10), 13, datetime.date(2025, 5, 10)),
        (datetime.date(2026, 6, 10), 12, datetime.date(2025, 6, 10)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 2, 28), 12, datetime.date(2024, 2, 28)),
        (datetime.date(2026, 1, 15), 24, datetime.date(2024, 1, 15)),
    ],
)
def test_months_before_counts_calendar_months(day, months, expected):
    assert months_before(day, months) == expected


def stale_and_recent_names():
    return (
        set(Organisation.objects.stale().values_list("name", flat=True)),
        set(Organisation.objects.recent().values_list("name", flat=True)),
    )


@frozen_clock
def test_stale_means_not_confirmed_for_more_than_13_months():
    cutoff = Confirmation.stale_before()
    assert cutoff == datetime.date(2025, 5, 10)
    OrganisationFactory(name="Day before", last_confirmed=cutoff - datetime.timedelta(days=1))
    OrganisationFactory(name="On the day", last_confirmed=cutoff)
    OrganisationFactory(name="Today", last_confirmed=TODAY)

    stale, recent = stale_and_recent_names()

    assert stale == {"Day before"}
    assert recent == {"On the day", "Today"}
    by_name = {o.name: o for o in Organisation.objects.all()}
    assert {name for name, o in by_name.items() if o.is_stale} == stale


@frozen_clock
def test_never_confirmed_entries_count_from_their_publication():
    old = at("2025-01-02 10:00")
    OrganisationFactory(name="Published long ago", last_confirmed=None, published_at=old)
    OrganisationFactory(name="Published lately", last_confirmed=None, published_at=NOW)
    loaded = OrganisationFactory(name="Loaded long ago", last_confirmed=None, published_at=None)
    Organisation.objects.filter(pk=loaded.pk).update(created=old)

    stale, recent = stale_and_recent_names()

    assert stale == {"Published long ago", "Loaded long ago"}
    assert recent == {"Published lately"}
    published_long_ago = Organisation.objects.get(name="Published long ago")
    assert published_long_ago.confirmed_since == datetime.date(2025, 1, 2)
    assert published_long_ago.is_stale
    assert Organisation.objects.get(name="Loaded long ago").is_stale


@frozen_clock
def test_unconfirmed_for_24_months_is_a_longer_stretch_of_stale():
    OrganisationFactory(name="25 months", last_confirmed=datetime.date(2024, 5, 1))
    OrganisationFactory(name="20 months", last_confirmed=datetime.date(2024, 10, 1))

    queue = set(Organisation.objects.unconfirmed_for(24).values_list("name", flat=True))

    assert queue == {"25 months"}


def test_publishing_records_when():
    staff = UserFactory(is_staff=True)
    organisation = OrganisationFactory(status=Organisation.Status.PENDING, published_at=None)
    with time_machine.travel(NOW, tick=False):
        services.publish(organisations=[organisation], by=staff)

    organisation.refresh_from_db()
    assert organisation.published_at == NOW
    assert organisation.confirmed_since == TODAY


# The flag on profiles and cards, the directory's facet and the exports' filter ------------

DIRECTORY = reverse("organisations:directory")


@pytest.fixture
def stale_and_recent():
    stale = OrganisationFactory(
        name="Stale Circle", slug="stale-circle", last_confirmed=datetime.date(2025, 3, 1)
    )
    recent = OrganisationFactory(
        name="Recent Circle", slug="recent-circle", last_confirmed=datetime.date(2026, 3, 1)
    )
    return stale, recent


@frozen_clock
def test_profile_says_plainly_since_when_a_stale_entry_is_not_confirmed(client, stale_and_recent):
    stale, recent = stale_and_recent

    stale_page = client.get(stale.get_absolute_url()).content.decode()
    recent_page = client.get(recent.get_absolute_url()).content.decode()

    assert 'Not confirmed since <time datetime="2025-03-01">1 March 2025</time>' in stale_page
    assert "Not confirmed since" not in recent_page
    assert "Details last confirmed by the organisation on" in recent_page


@frozen_clock
def test_directory_cards_flag_stale_entries_only(client, stale_and_recent):
    html = client.get(DIRECTORY).content.decode()

    cards = {
        card.split('href="/organisations/')[1].split("/")[0]: card
        for card in html.split('<article class="card">')[1:]
    }
    assert "Not confirmed since" in cards["stale-circle"]
    assert "Not confirmed since" not in cards["recent-circle"]


def _facet(response, value):
    return next(o for o in response.context["facets"]["confirmed"] if o["value"] == value)


@frozen_clock
def test_directory_confirmed_facet_counts_and_filters(client, stale_and_recent):
    OrganisationFactory(name="Another stale", last_confirmed=datetime.date(2024, 1, 1))

    everything = client.get(DIRECTORY)
    stale_only = client.get(DIRECTORY, {"confirmed": "stale"})
    recent_only = client.get(DIRECTORY, {"confirmed": "recent"})

    assert (_facet(everything, "recent")["count"], _facet(everything, "stale")["count"]) == (1, 2)
    assert {o.name for o in stale_only.context["page_obj"]} == {"Stale Circle", "Another stale"}
    assert {o.name for o in recent_only.context["page_obj"]} == {"Recent Circle"}
    # Counted without its own choice, so the other value stays offered.
    assert _facet(stale_only, "recent")["count"] == 1
    assert _facet(stale_only, "stale")["chosen"]


def test_directory_refuses_an_unknown_confirmed_value_with_a_message(client):
    response = client.get(DIRECTORY, {"confirmed": "yesterday"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_directory_counts_move_with_the_calendar_without_any_change(client):
    OrganisationFactory(last_confirmed=datetime.date(2025, 5, 10))
    with time_machine.travel(at("2026-06-10 12:00"), tick=False):
        before = _facet(client.get(DIRECTORY), "stale")["count"]
    with time_machine.travel(at("2026-06-11 12:00"), tick=False):
        after = _facet(client.get(DIRECTORY), "stale")["count"]

    assert (before, after) == (0, 1)


@frozen_clock
def test_exports_apply_the_confirmed_filter(client, stale_and_recent):
    csv = client.get(reverse("organisations:export_csv"), {"confirmed": "stale"})
    data = client.get(reverse("organisations:export_json"), {"confirmed": "recent"})

    rows = b"".join(csv.streaming_content).decode().splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == ["Stale Circle"]
    records = json.loads(b"".join(data.streaming_content))["organisations"]
    assert [record["name"] for record in records] == ["Recent Circle"]
    bad = client.get(reverse("organisations:export_csv"), {"confirmed": "old"})
    assert bad.status_code == 400


@pytest.mark.parametrize("signed_in", [True, False], ids=["member", "visitor"])
def test_directory_cards_turn_stale_with_the_calendar_despite_cached_pages(
    client, user, signed_in
):
    OrganisationFactory(slug="turning", last_confirmed=datetime.date(2025, 5, 10))
    if signed_in:
        client.force_login(user)
    with time_machine.travel(at("2026-06-10 23:58"), tick=False):
        before = client.get(DIRECTORY).content.decode()
    with time_machine.travel(at("2026-06-11 00:01"), tick=False):
        after = client.get(DIRECTORY).content.decode()

    assert "Not confirmed since" not in before
    assert "Not confirmed since" in after


@frozen_clock
def test_dashboard_tells_members_their_entry_is_stale(client, stale_and_recent):
    stale, recent = stale_and_recent
    member = UserFactory()
    MembershipFactory(organisation=stale, user=member)
    MembershipFactory(organisation=recent, user=member, role="editor")
    client.force_login(member)

    html = client.get(reverse("dashboard")).content.decode()

    assert html.count("Not confirmed since") == 1
    assert 'Not confirmed since <time datetime="2025-03-01">' in html
    assert html.count("Last confirmed on") == 1  # the recent one
