"""WCAG 2.2 AA in a real browser: axe-core on every page type, a phone-sized screen, the
keyboard alone, and the Dutch interface."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.keyboard import tab_to
from tests.factories import NetworkGroupFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory_data():
    group = NetworkGroupFactory(name="Youth, peace and security", slug="youth")
    organisation = OrganisationFactory(
        name="Tosangana Diaspora Network",
        kind="diaspora",
        summary="Connects Congolese diaspora youth with peacebuilding in the Great Lakes.",
        website="https://tosangana.example",
        themes=["youth", "dialogue"],
    )
    organisation.network_groups.add(group)
    OrganisationFactory(name="Hague Peace Partners", kind="ngo", themes=["gender"])
    return {"group": group, "organisation": organisation}


def check_pages(live_server, page, axe_violations, screenshot, pages):
    """Open each page, photograph it and collect every page's axe report before failing, so
    one run shows all the problems."""
    reports = []
    for name, path in pages:
        response = page.goto(live_server.url + path)
        assert response.ok, f"{name}: {path} answered {response.status}"
        screenshot(name)
        if report := axe_violations():
            reports.append(f"[{name}] {report}")
    assert not reports, "\n\n".join(reports)


def test_public_pages_have_no_wcag_violations(
    live_server, page, axe_violations, screenshot, directory_data
):
    pages = [
        ("home", reverse("home")),
        ("directory", reverse("organisations:directory")),
        ("profile", directory_data["organisation"].get_absolute_url()),
        ("network-groups", reverse("organisations:network_groups")),
        ("network-group", directory_data["group"].get_absolute_url()),
        ("events", reverse("events:list")),
        ("partnerships", reverse("partnerships:list")),
        ("accessibility-statement", reverse("accessibility")),
    ]

    check_pages(live_server, page, axe_violations, screenshot, pages)


def test_keyboard_reaches_every_control_with_visible_focus_and_no_trap(
    live_server, page, directory_data
):
    page.goto(live_server.url + reverse("home"))

    # From the top of the page, Tab visits the whole page (every stop has a visible focus
    # indicator) and comes back round to the skip link: nothing traps the focus.
    skip_link = page.get_by_role("link", name="Skip to main content")
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    language_button = page.get_by_role("button", name="Switch")
    tab_to(page, language_button)
    tab_to(page, skip_link, limit=3)

    # Enter follows a link.
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Directory"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + reverse("organisations:directory"))


@pytest.mark.browser_context_args(locale="nl-NL")
def test_home_and_directory_render_in_dutch(
    live_server, page, assert_accessible, screenshot, directory_data
):
    # A browser set to Dutch gets the Dutch interface at the same URLs as everyone else.
    page.goto(live_server.url + reverse("home"))

    assert page.get_attribute("html", "lang") == "nl"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Organisaties die in Den Haag werken aan vrede, en de partnerschappen tussen hen"
    )
    screenshot("home-nl")
    assert_accessible()

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overzicht").click()
    expect(page).to_have_url(live_server.url + reverse("organisations:directory"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht van organisaties")
    expect(page.get_by_text("Diasporaorganisatie").first).to_be_visible()
    screenshot("directory-nl")
    assert_accessible()

    # The switcher in the footer changes the language and stays on the same page.
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wisselen").click()
    expect(page).to_have_url(live_server.url + reverse("organisations:directory"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Directory of organisations")
    assert page.get_attribute("html", "lang") == "en"
