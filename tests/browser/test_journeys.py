"""The journeys people make through PeaceNet, in a real browser against the live server, with a
screenshot of every step in the test's output folder."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import Membership, Organisation
from tests.browser.keyboard import assert_focus_kept, press_to_navigate, tab_to, wait_for_htmx
from tests.browser.phone import PHONE, assert_fits_the_screen
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@pytest.fixture
def directory_organisations():
    """Four organisations: three mention peace, two of those are diaspora organisations,
    one of which works on youth."""
    return [
        OrganisationFactory(
            name="Tosangana Diaspora Network",
            kind="diaspora",
            summary="Connects Congolese diaspora youth with peace work in the Great Lakes.",
            themes=["youth"],
        ),
        OrganisationFactory(
            name="Diaspora Women for Peace",
            kind="diaspora",
            summary="Women of the diaspora working for peace and security.",
            themes=["gender"],
        ),
        OrganisationFactory(
            name="Hague Peace Partners",
            kind="ngo",
            summary="An alliance of NGOs for peace education.",
            themes=["youth"],
        ),
        OrganisationFactory(
            name="Municipal Dialogue Office",
            kind="government",
            summary="The city's desk for dialogue between communities.",
            themes=["gender"],
        ),
    ]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_visitor_searches_narrows_and_opens_a_profile(
    live_server, new_context, screenshot, directory_organisations, javascript
):
    """Journey 1: search the directory, narrow by kind and theme, open a profile. With
    JavaScript the results update in place; without it the same happens through the form."""
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(live_server.url + reverse("organisations:directory"))
    status = page.locator("#directory-status")
    expect(status).to_have_text("4 organisations")
    expect(status).to_have_role("status")  # a live region: updates are announced
    if javascript:
        # Marks this document: it survives in-place updates but not a page load.
        page.evaluate("window.sameDocument = true")

    page.get_by_role("searchbox", name="Search").fill("peace")
    if not javascript:
        page.get_by_role("button", name="Search", exact=True).click()
    expect(status).to_have_text("3 organisations")
    expect(page).to_have_url(re.compile(r"[?&]q=peace"))
    screenshot("searched", of=page)

    page.get_by_role("navigation", name="Kind").get_by_role(
        "link", name=re.compile("^Diaspora organisation")
    ).click()
    expect(status).to_have_text("2 organisations")
    expect(page).to_have_url(re.compile(r"kind=diaspora"))
    screenshot("narrowed-by-kind", of=page)

    page.get_by_role("checkbox", name=re.compile("^youth")).check()
    if not javascript:
        page.get_by_role("button", name="Search", exact=True).click()
    expect(status).to_have_text("1 organisation")
    expect(page).to_have_url(re.compile(r"theme=youth"))
    results = page.locator("#directory-results")
    expect(results.get_by_role("link", name="Tosangana Diaspora Network")).to_be_visible()
    expect(results.get_by_role("link", name="Diaspora Women for Peace")).to_have_count(0)
    screenshot("narrowed-by-theme", of=page)
    if javascript:
        assert page.evaluate("window.sameDocument") is True, "the page was reloaded"

    results.get_by_role("link", name="Tosangana Diaspora Network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tosangana Diaspora Network")
    screenshot("profile", of=page)


def test_keyboard_only_visitor_searches_narrows_and_opens_a_profile(
    live_server, page, screenshot, directory_organisations
):
    """Journey 6, part 1: journey 1 with the keyboard alone (Tab, Enter, Space), with
    JavaScript on; every focus stop is visible and the focus is never lost or trapped."""
    page.goto(live_server.url + reverse("organisations:directory"))
    status = page.locator("#directory-status")

    tab_to(page, page.get_by_role("searchbox", name="Search"))
    page.keyboard.type("peace")
    expect(status).to_have_text("3 organisations")

    kind = page.get_by_role("navigation", name="Kind")
    tab_to(page, kind.get_by_role("link", name=re.compile("^Diaspora organisation")))
    wait_for_htmx(page)  # the search sent while typing has settled
    page.keyboard.press("Enter")
    expect(status).to_have_text("2 organisations")
    assert_focus_kept(page)
    screenshot("keyboard-narrowed-by-kind")

    tab_to(page, page.get_by_role("checkbox", name=re.compile("^youth")))
    page.keyboard.press("Space")
    expect(status).to_have_text("1 organisation")
    assert_focus_kept(page)
    screenshot("keyboard-narrowed-by-theme")

    results = page.locator("#directory-results")
    tab_to(page, results.get_by_role("link", name="Tosangana Diaspora Network"))
    press_to_navigate(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tosangana Diaspora Network")
    screenshot("keyboard-profile")


def test_leaving_the_search_box_does_not_send_the_search_again(
    live_server, page, directory_organisations
):
    page.goto(live_server.url + reverse("organisations:directory"))
    searches = []
    page.on("request", lambda request: searches.append(request.url) if "q=" in request.url else 0)

    tab_to(page, page.get_by_role("searchbox", name="Search"))
    page.keyboard.type("peace")
    expect(page.locator("#directory-status")).to_have_text("3 organisations")
    page.keyboard.press("Tab")
    page.wait_for_timeout(800)  # twice the typing delay: time for any second search to start
    wait_for_htmx(page)

    assert len(searches) == 1
    assert "q=peace&" in searches[0]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    with page.expect_response(lambda response: "dialogue" in response.url):
        page.keyboard.type(" dialogue")  # A changed search is sent as before.
    wait_for_htmx(page)


def test_search_typed_before_the_page_script_runs_is_sent_once_it_does(
    live_server, page, directory_organisations
):
    """On a slow phone a visitor may type before htmx has loaded: their words are searched
    as soon as it has, once."""
    held = []
    page.route("**/vendor/htmx/*.js", lambda route: held.append(route))
    searches = []
    page.on("request", lambda request: searches.append(request.url) if "q=" in request.url else 0)
    page.goto(live_server.url + reverse("organisations:directory"), wait_until="commit")
    status = page.locator("#directory-status")

    page.get_by_role("searchbox", name="Search").fill("peace")
    expect(status).to_have_text("4 organisations")  # Nothing can search yet.
    assert len(held) == 1, "the page asked for htmx before showing its search box"
    held[0].continue_()

    expect(status).to_have_text("3 organisations")
    wait_for_htmx(page)
    assert len(searches) == 1
    assert "q=peace&" in searches[0]


def test_keyboard_only_newcomer_signs_up_registers_and_is_published(
    live_server, page, new_context, log_in, screenshot, mailoutbox
):
    """Journey 6, part 2: journey 2 with the keyboard alone, from signing up to the staff
    member publishing the organisation in the admin and a visitor finding it."""
    page.goto(live_server.url + reverse("home"))
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up"))
    press_to_navigate(page)
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type("amina@diaspora-voices.example")
    tab_to(page, page.get_by_label("Password:", exact=True), limit=2)
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_label("Password (again)"), limit=2)
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_role("button", name="Sign up"), limit=2)
    screenshot("keyboard-sign-up")
    press_to_navigate(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    # Following the emailed link (the mail program's part), then confirming by keyboard.
    page.goto(CONFIRMATION_LINK.search(mailoutbox[0].body).group(0))
    tab_to(page, page.get_by_role("button", name="Confirm"))
    press_to_navigate(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")

    tab_to(page, page.get_by_role("link", name="Register an organisation").first)
    press_to_navigate(page)
    tab_to(page, page.get_by_label("Name:", exact=True))
    page.keyboard.type("Diaspora Voices for Peace")
    tab_to(page, page.get_by_label("Kind:", exact=True))
    page.keyboard.type("Diaspora")  # a select picks the option whose label is typed
    tab_to(page, page.get_by_label("Summary:", exact=True))
    page.keyboard.type("Brings diaspora youth and policymakers together.")
    tab_to(page, page.get_by_label(re.compile("^I may represent this organisation")))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Register for review"))
    screenshot("keyboard-register")
    press_to_navigate(page)
    expect(page.get_by_role("status")).to_contain_text("waiting for review")
    organisation = Organisation.objects.get(name="Diaspora Voices for Peace")
    assert organisation.kind == Organisation.Kind.DIASPORA
    assert organisation.memberships.get().role == Membership.Role.OWNER

    staff_page = new_context().new_page()
    log_in(UserFactory(is_staff=True, is_superuser=True), into=staff_page.context, mfa=True)
    staff_page.goto(live_server.url + reverse("admin:organisations_organisation_changelist"))
    row = staff_page.get_by_role("row", name=re.compile("Diaspora Voices for Peace"))
    tab_to(staff_page, staff_page.get_by_role("link", name="Skip to main content"), limit=1)
    staff_page.keyboard.press("Enter")
    tab_to(staff_page, staff_page.get_by_label("Action:"))
    staff_page.keyboard.type("Publish")
    tab_to(staff_page, row.get_by_role("checkbox"))
    staff_page.keyboard.press("Space")
    tab_to(staff_page, staff_page.get_by_role("button", name="Run"), backwards=True)
    press_to_navigate(staff_page)
    expect(staff_page.locator(".messagelist")).to_contain_text("1 organisation published.")
    screenshot("keyboard-admin-published", of=staff_page)
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PUBLISHED

    visitor = new_context().new_page()
    visitor.goto(live_server.url + reverse("organisations:directory"))
    tab_to(visitor, visitor.get_by_role("searchbox", name="Search"))
    visitor.keyboard.type("diaspora voices")
    press_to_navigate(visitor)
    result = visitor.locator("#directory-results").get_by_role(
        "link", name="Diaspora Voices for Peace"
    )
    tab_to(visitor, result)
    press_to_navigate(visitor)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Diaspora Voices for Peace")
    screenshot("keyboard-found", of=visitor)


@pytest.mark.browser_context_args(**PHONE)
def test_phone_navigation_directory_filters_and_forms_are_usable(
    live_server, page, log_in, assert_accessible, screenshot, directory_organisations
):
    """Journey 5: on a 390 by 844 phone screen the navigation, the directory's filters and a
    form work, nothing scrolls sideways, and axe finds nothing (target sizes included)."""
    page.goto(live_server.url + reverse("home"))
    navigation = page.get_by_role("navigation", name="Main")
    for name in ["Directory", "Network groups", "Partnerships", "Events", "Sign in", "Sign up"]:
        link = navigation.get_by_role("link", name=name)
        expect(link).to_be_in_viewport()
        box = link.bounding_box()
        assert min(box["width"], box["height"]) >= 24, f"{name} is too small to tap"
    assert_fits_the_screen(page)
    assert_accessible()
    screenshot("phone-home")

    navigation.get_by_role("link", name="Directory").tap()
    status = page.locator("#directory-status")
    page.get_by_role("searchbox", name="Search").fill("peace")
    expect(status).to_have_text("3 organisations")
    page.locator("summary", has_text="Filters").tap()  # the filters fold on a phone
    page.get_by_role("navigation", name="Kind").get_by_role(
        "link", name=re.compile("^Diaspora organisation")
    ).tap()
    expect(status).to_have_text("2 organisations")
    page.get_by_role("checkbox", name=re.compile("^youth")).tap()
    expect(status).to_have_text("1 organisation")
    assert_fits_the_screen(page)
    assert_accessible()
    screenshot("phone-directory-filtered")
    result = page.locator("#directory-results").get_by_role(
        "link", name="Tosangana Diaspora Network"
    )
    result.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tosangana Diaspora Network")
    assert_fits_the_screen(page)
    screenshot("phone-profile")

    # A long form: registering an organisation, sent incomplete, then corrected.
    log_in(UserFactory())
    page.goto(live_server.url + reverse("organisations:register"))
    assert_fits_the_screen(page)
    page.get_by_role("button", name="Register for review").tap()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_fits_the_screen(page)
    assert_accessible()
    screenshot("phone-register-errors")
    page.get_by_label("Name:", exact=True).fill("Phone Peace Circle")
    page.get_by_label("Kind:", exact=True).select_option(label="NGO")
    page.get_by_label("Summary:", exact=True).fill("Registered from a phone.")
    page.get_by_label(re.compile("^I may represent this organisation")).tap()
    page.get_by_role("button", name="Register for review").tap()
    expect(page.get_by_role("status")).to_contain_text("Phone Peace Circle is waiting for review")
    screenshot("phone-registered")
    assert Organisation.objects.get(name="Phone Peace Circle").status == "pending"
