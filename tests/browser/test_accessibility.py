"""WCAG 2.2 AA in a real browser: axe-core on every page type in each of the four languages
(Arabic right to left), a phone-sized screen, the keyboard alone, and the Dutch interface."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.keyboard import tab_to
from tests.factories import UserFactory
from tests.languages import in_language
from tests.partnerships.factories import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit_empty_form(page):
    """Send the page's main form unfilled, to see it with its error messages."""
    page.locator("main form[method=post]").last.locator("[type=submit]").last.click()
    expect(page.locator(".error-summary, .errorlist").first).to_be_visible()


def shows_no_results(page):
    expect(page.locator(".empty-state h2")).to_be_visible()


LANGUAGES = ["en", "nl", "fr", "ar"]


def in_their_language(language, pages):
    """The pages at their addresses in ``language`` (/nl/…, /fr/…, /ar/…; English plain)."""
    return [
        (f"{name}-{language}", in_language(path, language), *action)
        for name, path, *action in pages
    ]


def check_pages(live_server, page, axe_violations, screenshot, pages, *, language="en"):
    """Open each page (and do what it needs, such as sending a form with mistakes), take its
    picture, and collect every page's axe report before failing, so one run shows all the
    problems at once. Each page must be in ``language``, and Arabic right to left."""
    reports = []
    direction = "rtl" if language == "ar" else "ltr"
    for name, path, *action in pages:
        response = page.goto(live_server.url + path)
        if not response.ok:
            reports.append(f"[{name}] {path} answered {response.status}")
            continue
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        for step in action:
            step(page)
        screenshot(name)
        if report := axe_violations():
            reports.append(f"[{name}] {report}")
    assert not reports, "\n\n".join(reports)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_have_no_wcag_violations(
    live_server, page, axe_violations, screenshot, site_data, language
):
    no_results = reverse("organisations:directory") + "?q=zzqqxx"
    pages = [
        ("home", reverse("home")),
        ("directory", reverse("organisations:directory")),
        ("directory-no-results", no_results, shows_no_results),
        ("profile", site_data["organisation"].get_absolute_url()),
        ("network-groups", reverse("organisations:network_groups")),
        ("network-group", site_data["group"].get_absolute_url()),
        ("events", reverse("events:list")),
        ("event-past", site_data["event"].get_absolute_url()),
        ("event-upcoming", site_data["upcoming"].get_absolute_url()),
        ("partnerships", reverse("partnerships:list")),
        ("proposal", site_data["proposal"].get_absolute_url()),
        ("sign-in-errors", reverse("account_login"), submit_empty_form),
        ("sign-up-errors", reverse("account_signup"), submit_empty_form),
        ("accessibility-statement", reverse("accessibility")),
    ]

    pages = in_their_language(language, pages)
    check_pages(live_server, page, axe_violations, screenshot, pages, language=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_member_pages_have_no_wcag_violations(
    live_server, page, log_in, axe_violations, screenshot, site_data, language
):
    # A member of the invited partner: the dashboard lists the invitation to answer; the
    # pages that manage its organisation. (The account pages are checked in
    # test_registration_journey.py.)
    member = member_of(site_data["partner"])
    log_in(member)
    pages = [
        ("dashboard", reverse("dashboard")),
        ("propose-errors", reverse("partnerships:propose"), submit_empty_form),
        ("proposal-invited", site_data["proposal"].get_absolute_url()),
        ("event-register", site_data["upcoming"].get_absolute_url()),
        ("edit-profile", reverse("organisations:edit", args=[site_data["partner"].slug])),
        ("members", reverse("organisations:members", args=[site_data["partner"].slug])),
        ("register-errors", reverse("organisations:register"), submit_empty_form),
        ("alerts", reverse("alerts:list")),
    ]

    pages = in_their_language(language, pages)
    check_pages(live_server, page, axe_violations, screenshot, pages, language=language)


def test_keyboard_reaches_every_control_with_visible_focus_and_no_trap(
    live_server, page, site_data
):
    # On each kind of page, Tab from the top visits the whole page (every stop has a visible
    # focus indicator and is on screen) and comes back round to the skip link: nothing traps
    # the focus.
    for path in [
        reverse("home"),
        reverse("organisations:directory"),
        site_data["proposal"].get_absolute_url(),
        reverse("account_signup"),
    ]:
        page.goto(live_server.url + path)
        skip_link = page.get_by_role("link", name="Skip to main content")
        tab_to(page, skip_link, limit=1)
        tab_to(page, page.get_by_role("button", name="Switch"), limit=150)
        tab_to(page, skip_link, limit=3)

    # Enter follows a link.
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Directory"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + reverse("organisations:directory"))


@pytest.mark.browser_context_args(locale="nl-NL")
def test_home_and_directory_render_in_dutch(
    live_server, page, assert_accessible, screenshot, site_data
):
    # A browser set to Dutch is taken from the plain address to the Dutch page.
    page.goto(live_server.url + reverse("home"))

    expect(page).to_have_url(live_server.url + "/nl/")
    assert page.get_attribute("html", "lang") == "nl"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Organisaties die in Den Haag werken aan vrede, en de partnerschappen tussen hen"
    )
    screenshot("home-nl")
    assert_accessible()

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overzicht").click()
    expect(page).to_have_url(live_server.url + "/nl/organisations/")
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


def test_form_errors_are_summarised_and_tied_to_their_fields(live_server, page, log_in):
    log_in(UserFactory())
    page.goto(live_server.url + reverse("organisations:register"))

    page.get_by_role("button", name="Register for review").click()

    # The summary comes first and takes the focus; each entry links to its field, and each
    # invalid field is marked so and described by its own message.
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    assert links.count() >= 3
    for link in links.all():
        field = page.locator(link.get_attribute("href"))
        if field.evaluate("element => element.matches('input, select, textarea')"):
            expect(field).to_have_attribute("aria-invalid", "true")
            described_by = field.get_attribute("aria-describedby").split()
            messages = " ".join(page.locator(f"#{id_}").inner_text() for id_ in described_by)
            assert link.inner_text().split(": ", 1)[1] in messages
    summary.get_by_role("link", name=re.compile("^Name")).click()
    expect(page.get_by_label("Name:", exact=True)).to_be_focused()
