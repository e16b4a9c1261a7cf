"""/statistics/: every chart's numbers, in its picture, its table and its CSV, are the
database's, counted here apart from the page's own queries; only what anyone may see."""

import csv
import datetime
import html as html_lib
import io
import re
from collections import Counter

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from organisations.models import Organisation
from partnerships.models import PartnershipProposal, ProposalStatus
from peacenet.charts import Chart, Row, bar_layout, column_layout
from peacenet.statistics import month_starts
from tests.clock import NOW, at, frozen_clock
from tests.events.factories import EventFactory
from tests.factories import NetworkGroupFactory, OrganisationFactory, UserFactory
from tests.languages import in_language
from tests.partnerships.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def organisation_created(when, **fields):
    with time_machine.travel(when, tick=False):
        return OrganisationFactory(**fields)


@pytest.fixture
def network():
    """Organisations of every status, partnerships of every status and events with
    registrations, spread over two years."""
    gender = NetworkGroupFactory(name="Gender", slug="gender", position=1)
    youth = NetworkGroupFactory(name="Youth", slug="youth", position=2)
    first = organisation_created(
        at("2025-02-03 10:00"), kind="diaspora", countries=["SO", "CD"], themes=["youth", "gender"]
    )
    first.network_groups.add(gender, youth)
    organisation_created(at("2025-02-20 10:00"), kind="ngo", countries=["SO"], themes=["youth"])
    organisation_created(
        at("2026-05-30 10:00"), kind="ngo", countries=["NL"], themes=["dialogue"]
    ).network_groups.add(youth)
    organisation_created(at("2023-01-05 10:00"), kind="government", countries=["UA"])
    for status in ("pending", "rejected", "archived"):
        hidden = organisation_created(
            at("2026-04-01 10:00"), status=status, kind="international", countries=["AF"]
        )
        hidden.network_groups.add(gender)
        hidden.themes.add("secret-theme")
    for status in ProposalStatus.values:
        ProposalFactory(status=status, lead_participant=first)
    ProposalFactory(
        status=ProposalStatus.ACTIVE, is_hidden=True, hidden_reason="Spam", lead_participant=first
    )

    def event(start, end, **fields):
        return EventFactory(start=at(start), end=at(end), organiser=first, **fields)

    seminar = event("2025-09-10 14:00", "2025-09-10 17:00")
    meeting = event("2026-03-10 14:00", "2026-03-10 17:00")
    event("2026-04-10 14:00", "2026-04-10 17:00", is_published=False)
    statuses = ["confirmed", "confirmed", "waiting", "cancelled"]
    for event, status in [(seminar, s) for s in statuses] + [(meeting, "confirmed")]:
        Registration.objects.create(event=event, user=UserFactory(), status=status)


def read_csv(client, slug):
    response = client.get(reverse("statistics_csv", kwargs={"chart": slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def expected_statistics():
    """Every chart's rows, counted in Python from the rows anyone may see."""
    published = list(Organisation.objects.filter(status="published"))
    kinds = Counter(o.get_kind_display() for o in published)
    groups = Counter(g.name for o in published for g in o.network_groups.all())
    themes = Counter(t.name for o in published for t in o.themes.all())
    countries = Counter(c.name for o in published for c in o.countries)
    public = [
        p for p in PartnershipProposal.objects.all() if p.status != "draft" and not p.is_hidden
    ]
    statuses = Counter(p.get_status_display() for p in public)
    events = [e for e in Event.objects.all() if e.is_published]
    years = Counter(timezone.localtime(e.start).year for e in events)
    registered = Counter(
        timezone.localtime(r.event.start).year
        for r in Registration.objects.all()
        if r.event.is_published and r.status == "confirmed"
    )
    this_month = timezone.localdate().replace(day=1)
    months = Counter(
        timezone.localtime(o.created).date().replace(day=1)
        for o in published
        if timezone.localtime(o.created).date() >= month_starts(this_month)[0]
    )
    return {
        "organisations-by-kind": {label: kinds[label] for label in Organisation.Kind.labels},
        "organisations-by-network-group": {"Gender": groups["Gender"], "Youth": groups["Youth"]},
        "organisations-by-theme": dict(themes),
        "countries-of-focus": dict(countries),
        "partnerships-by-status": {
            label: statuses[label]
            for value, label in ProposalStatus.choices
            if value != ProposalStatus.DRAFT
        },
        "events-per-year": {str(year): (n, registered[year]) for year, n in years.items()},
        "new-organisations-months": months,
    }


@frozen_clock
def test_every_chart_counts_what_the_database_holds(client, network):
    expected = expected_statistics()

    for slug in [
        "organisations-by-kind",
        "organisations-by-network-group",
        "organisations-by-theme",
        "countries-of-focus",
        "partnerships-by-status",
    ]:
        heading, *rows = read_csv(client, slug)
        assert len(heading) == 2
        assert {label: int(n) for label, n in rows} == expected[slug], slug

    heading, *rows = read_csv(client, "events-per-year")
    assert heading == ["Year", "Events", "Registrations"]
    assert {year: (int(n), int(r)) for year, n, r in rows} == expected["events-per-year"]
    assert expected["events-per-year"] == {"2025": (1, 2), "2026": (1, 1)}

    heading, *rows = read_csv(client, "new-organisations")
    assert len(rows) == 24
    assert rows[0][0] == "July 2024"
    assert rows[-1][0] == "June 2026"
    assert sum(int(n) for _label, n in rows) == sum(expected["new-organisations-months"].values())
    by_label = {label: int(n) for label, n in rows}
    assert by_label["February 2025"] == 2
    assert by_label["May 2026"] == 1
    # Created before the 24 months, and hidden ones, are not counted.
    assert sum(by_label.values()) == 3


@frozen_clock
def test_the_pictures_and_tables_show_the_same_numbers_as_the_csv(client, network):
    html = client.get(reverse("statistics")).content.decode()

    for slug in ["organisations-by-kind", "countries-of-focus", "partnerships-by-status"]:
        section = html.split(f'id="{slug}"', 1)[1].split("</section>", 1)[0]
        drawn = [int(n) for n in re.findall(r'class="chart-value"[^>]*>(\d+)</text>', section)]
        tabled = [int(n) for n in re.findall(r'<td class="number">(\d+)</td>', section)]
        _heading, *rows = read_csv(client, slug)
        assert drawn == tabled == [int(n) for _label, n in rows], slug
    kinds = html.split('id="organisations-by-kind"', 1)[1].split("</section>", 1)[0]
    assert 'href="/organisations/?kind=diaspora"' in kinds


@frozen_clock
def test_every_picture_says_the_numbers_of_its_table_and_csv(client, network):
    html = client.get(reverse("statistics")).content.decode()
    slugs = re.findall(r'<section class="chart" id="([^"]+)"', html)

    assert len(slugs) == 7
    for slug in slugs:
        section = html.split(f'id="{slug}"', 1)[1].split("</section>", 1)[0]
        # The picture's title names every bar or column with its number, as a reader hears it.
        title = re.search(r'<title id="[^"]+">([^<]*)</title>', section).group(1)
        _chart, *shapes = html_lib.unescape(title).split("; ")
        drawn = [int(shape.rsplit(": ", 1)[1]) for shape in shapes]
        tabled = [int(n) for n in re.findall(r'<td class="number">(\d+)</td>', section)]
        _heading, *rows = read_csv(client, slug)
        assert drawn == tabled == [int(n) for row in rows for n in row[1:]], slug
        picture = section.split('class="chart-svg"', 1)[1].split("</svg>", 1)[0]
        assert len(re.findall(r'<rect class="chart-(?:bar|column)\b', picture)) == len(drawn)


@frozen_clock
def test_nothing_unpublished_is_named_or_counted(client, network):
    html = client.get(reverse("statistics")).content.decode()
    countries = read_csv(client, "countries-of-focus")

    assert "secret-theme" not in html
    assert "Afghanistan" not in html
    assert ["Afghanistan", "3"] not in countries
    assert "International organisation" in html  # the kind is listed, with no one in it
    assert read_csv(client, "organisations-by-kind")[-1] == ["International organisation", "0"]


@frozen_clock
def test_a_change_shows_at_once_despite_the_cache(
    client, network, django_capture_on_commit_callbacks
):
    before = dict(read_csv(client, "organisations-by-kind")[1:])
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory(kind="government")

    after = dict(read_csv(client, "organisations-by-kind")[1:])

    assert int(after["Government"]) == int(before["Government"]) + 1


def test_an_unknown_chart_is_not_found(client):
    assert client.get("/statistics/nothing.csv").status_code == 404


def test_the_csv_neutralises_formulas(client):
    OrganisationFactory(themes=["=HYPERLINK(1)"])

    rows = read_csv(client, "organisations-by-theme")

    assert rows[1][0] == "'=HYPERLINK(1)"


@frozen_clock
def test_the_home_page_shows_a_few_numbers_and_links_to_them(client, network):
    html = client.get(reverse("home")).content.decode()

    assert 'href="/statistics/"' in html
    # SO, CD, NL, UA; not the hidden organisations' AF.
    assert "They work on 4 countries" in html
    assert "2 partnerships forming or active" in html  # forming + active, not the hidden one


def test_statistics_are_in_dutch(client):
    OrganisationFactory(kind="diaspora")

    html = client.get(in_language(reverse("statistics"), "nl")).content.decode()

    assert "Het netwerk in cijfers" in html
    # Numbers in the pictures stay numbers an SVG reads: never a decimal comma.
    assert not re.search(r'(width|x|y|height)="-?\d+,\d', html)


def test_bars_are_as_long_as_their_numbers():
    chart = Chart(
        "c", "C", "bars", "Kind", ["n"], [Row("a", (4,)), Row("b", (2,)), Row("c", (0,))]
    )

    bars = bar_layout(chart)["bars"]

    assert bars[0]["width"] == 2 * bars[1]["width"]
    assert bars[2]["width"] == 0
    assert [bar["bar_y"] for bar in bars] == sorted(bar["bar_y"] for bar in bars)


def test_columns_stand_on_one_baseline_and_pair_their_series():
    chart = Chart(
        "c", "C", "columns", "Year", ["a", "b"], [Row("2025", (1, 4)), Row("2026", (2, 0))]
    )

    layout = column_layout(chart)

    columns = layout["columns"]
    assert [c["series"] for c in columns] == [0, 1, 0, 1]
    assert {round(c["y"] + c["height"], 1) for c in columns} == {layout["baseline"]}
    assert columns[1]["height"] == 4 * columns[0]["height"]
    assert layout["legend"]


def test_month_starts_cross_the_year():
    assert month_starts(datetime.date(2026, 2, 17), months=3) == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]
    assert NOW.month == 6
