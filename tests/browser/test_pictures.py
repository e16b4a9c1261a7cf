"""The pictures in a real browser: the map, the partnership network and the statistics pass
axe in English, Dutch, French and Arabic with nothing refused by the Content-Security-Policy,
and a visitor goes from the map to a country's organisations and on to a profile, on a
desktop and a phone; without JavaScript the table, the filters and the charts' numbers and CSV
still work."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partnerships.models import Answer, ProposalStatus
from tests.factories import NetworkGroupFactory, OrganisationFactory
from tests.languages import in_language
from tests.partnerships.factories import ParticipantFactory, ProposalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def network():
    group = NetworkGroupFactory(name="Youth, peace and security", slug="youth")
    amani = OrganisationFactory(
        name="Amani Diaspora Network",
        slug="amani",
        kind="diaspora",
        countries=["SO", "KE"],
        themes=["youth"],
    )
    amani.network_groups.add(group)
    bridge = OrganisationFactory(name="Bridge for Peace", kind="ngo", countries=["SO", "UA"])
    OrganisationFactory(name="City of Peace Office", kind="government", countries=["NL"])
    active = ProposalFactory(
        title="Youth dialogue circles", status=ProposalStatus.ACTIVE, lead_participant=amani
    )
    ParticipantFactory(proposal=active, organisation=bridge, answer=Answer.ACCEPTED)
    return {"amani": amani}


PAGES = [
    ("map", "organisations:map"),
    ("network", "partnerships:network"),
    ("statistics", "statistics"),
]


def refused_by_the_browser(page):
    """Console errors (a style or script the CSP refuses, an SVG attribute the browser
    cannot read) collected from now on."""
    errors = []

    def collect(message):
        if message.type == "error":
            errors.append(message.text)

    page.on("console", collect)
    return errors


def check_pictures(live_server, page, axe_violations, screenshot, suffix, *, prefixed=False):
    errors = refused_by_the_browser(page)
    reports = []
    for name, url_name in PAGES:
        path = reverse(url_name)
        response = page.goto(live_server.url + (in_language(path, suffix) if prefixed else path))
        assert response.ok, url_name
        expect(page.locator("main svg").first).to_be_visible()
        screenshot(f"{name}-{suffix}")
        if report := axe_violations():
            reports.append(f"[{name}-{suffix}] {report}")
    assert not reports, "\n\n".join(reports)
    assert errors == []


def test_the_pictures_pass_axe_in_english(live_server, page, axe_violations, screenshot, network):
    check_pictures(live_server, page, axe_violations, screenshot, "en")


@pytest.mark.browser_context_args(locale="nl-NL")
def test_the_pictures_pass_axe_in_dutch(live_server, page, axe_violations, screenshot, network):
    page.goto(live_server.url + reverse("organisations:map"))
    assert page.get_attribute("html", "lang") == "nl"

    check_pictures(live_server, page, axe_violations, screenshot, "nl")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_pictures_pass_axe_in_french_and_arabic(
    live_server, page, axe_violations, screenshot, network, language
):
    check_pictures(live_server, page, axe_violations, screenshot, language, prefixed=True)
    assert page.get_attribute("html", "lang") == language


def test_from_the_map_to_a_country_to_a_profile_on_a_desktop_and_a_phone(
    live_server, page, screenshot, network
):
    def photograph(name):
        page.set_viewport_size(DESKTOP)
        screenshot(f"{name}-desktop")
        page.set_viewport_size(PHONE)
        screenshot(f"{name}-phone")
        page.set_viewport_size(DESKTOP)

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("organisations:map"))
    somalia = page.locator('svg a[href="/organisations/?country=SO"]')
    expect(somalia.locator("title")).to_have_text("Somalia: 2 organisations")
    photograph("map")

    # On a phone the table of countries comes before the map.
    page.set_viewport_size(PHONE)
    table = page.get_by_role("table").bounding_box()
    picture = page.locator(".map-scroll").bounding_box()
    assert table["y"] < picture["y"]
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Organisations (sort by number, most first)").click()
    expect(page.get_by_role("table").get_by_role("row").nth(1)).to_contain_text("Somalia")
    photograph("countries")

    somalia.click()
    expect(page).to_have_url(live_server.url + "/organisations/?country=SO")
    expect(page.locator("#directory-status")).to_have_text("2 organisations")
    photograph("directory")

    page.get_by_role("link", name="Amani Diaspora Network").click()
    expect(page).to_have_url(live_server.url + network["amani"].get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amani Diaspora Network")
    photograph("profile")


def test_the_pictures_work_without_javascript(live_server, new_context, screenshot, network):
    page = new_context(java_script_enabled=False).new_page()

    # The map: a country in the table leads into the directory, filtered by it.
    page.goto(live_server.url + reverse("organisations:map"))
    page.get_by_role("table").get_by_role("link", name="Somalia").click()
    expect(page).to_have_url(live_server.url + "/organisations/?country=SO")
    expect(page.locator("#directory-status")).to_have_text("2 organisations")

    # The network: its filters are a plain form.
    page.goto(live_server.url + reverse("partnerships:network"))
    page.get_by_label("Status").select_option("forming")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/partnerships/network/\?status=forming"))
    expect(page.locator("#network-heading")).to_have_text("0 organisations, 0 partnerships")
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#network-heading")).to_have_text("2 organisations, 1 partnership")
    screenshot("network-without-javascript", of=page)

    # The statistics: each chart's numbers open without a script, and its CSV downloads.
    page.goto(live_server.url + reverse("statistics"))
    chart = page.locator("#organisations-by-kind")
    chart.get_by_text("The numbers").click()
    expect(chart.get_by_role("row", name="Diaspora organisation 1")).to_be_visible()
    with page.expect_download() as download:
        chart.get_by_role("link", name=re.compile("as CSV")).click()
    assert download.value.suggested_filename == "peacenet-organisations-by-kind.csv"
    screenshot("statistics-without-javascript", of=page)
