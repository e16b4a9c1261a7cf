"""PeaceNet on a 390 by 844 phone: the directory shows its results first with the filters
folded above them, a new volunteer adds their organisation from the home page, and every
page type fits the screen with nothing for axe to report."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import Membership, Organisation
from tests.browser.phone import PHONE, assert_fits_the_screen, sideways_overflow
from tests.factories import PASSWORD, OrganisationFactory
from tests.partnerships.factories import member_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser_context_args(**PHONE),
]

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def top_of(locator):
    return locator.bounding_box()["y"]


def test_directory_shows_results_first_with_the_filters_folded_above_them(
    live_server, page, assert_accessible, screenshot
):
    for number in range(6):
        OrganisationFactory(
            name=f"Diaspora Youth Circle {number}", kind="diaspora", themes=["youth", "gender"]
        )
    OrganisationFactory(name="Hague Peace Office", kind="government", themes=["youth"])
    page.goto(live_server.url + reverse("organisations:directory") + "?kind=diaspora&theme=youth")

    screenshot("folded")
    toggle = page.locator("summary", has_text="Filters")
    expect(toggle).to_have_text("Filters · 2 active")
    first_result = page.locator("#directory-results .card").first
    expect(first_result).to_be_in_viewport()
    assert top_of(first_result) + 100 < PHONE["viewport"]["height"], "the first result is low"
    kinds = page.get_by_role("navigation", name="Kind")
    expect(kinds).to_be_hidden()
    assert_fits_the_screen(page)
    assert_accessible()

    toggle.tap()
    expect(kinds).to_be_visible()
    assert top_of(page.get_by_label("Order by")) < top_of(first_result), "not above the results"
    page.get_by_role("checkbox", name=re.compile("^gender")).tap()
    expect(page.locator("#directory-status")).to_have_text("6 organisations")
    expect(toggle).to_have_text("Filters · 3 active")
    kinds.get_by_role("link", name=re.compile("Diaspora organisation")).tap()  # unchoose
    expect(page.locator("#directory-status")).to_have_text("6 organisations")
    expect(toggle).to_have_text("Filters · 2 active")
    expect(kinds).to_be_visible()  # the panel stays open while one narrows down
    assert_fits_the_screen(page)
    assert_accessible()
    screenshot("open")

    # Without filters the panel says just that.
    page.goto(live_server.url + reverse("organisations:directory"))
    expect(toggle).to_have_text("Filters")


def test_directory_filters_are_always_shown_beside_the_results_on_a_wide_screen(live_server, page):
    OrganisationFactory(name="Hague Peace Office", kind="government")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("organisations:directory") + "?kind=government")

    expect(page.locator("summary", has_text="Filters")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Kind")).to_be_visible()
    expect(page.get_by_label("Order by")).to_be_visible()


def test_volunteer_adds_their_organisation_from_the_home_page_on_a_phone(
    live_server, page, mailoutbox, assert_accessible, screenshot
):
    """Home → "Add it" → sign up → verify → register with three countries chosen through
    the picker → the dashboard says the organisation waits for review."""
    page.goto(live_server.url + reverse("home"))
    page.get_by_role("link", name="Add it").first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    assert_fits_the_screen(page)
    screenshot("sign-up")
    page.get_by_label("Email").fill("amina@horn-peace.example")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")
    screenshot("verify")

    page.goto(CONFIRMATION_LINK.search(mailoutbox[-1].body).group(0))
    page.get_by_role("button", name="Confirm").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register an organisation")
    assert EmailAddress.objects.get(email="amina@horn-peace.example").verified

    page.get_by_label("Name:", exact=True).fill("Horn of Africa Women for Peace")
    page.get_by_label("Kind:", exact=True).select_option(label="Diaspora organisation")
    page.get_by_label("Summary:", exact=True).fill("Somali and Kenyan women building peace.")
    search = page.get_by_role("combobox", name="Find a country")
    listbox = page.get_by_role("listbox", name="Countries")
    for typed, country in [("soma", "Somalia"), ("keny", "Kenya"), ("nethe", "Netherlands")]:
        search.fill(typed)
        listbox.get_by_role("option", name=country).tap()
        expect(page.get_by_role("button", name=f"Remove {country}")).to_be_visible()
    expect(search).to_be_focused()
    assert_fits_the_screen(page)
    assert_accessible()
    screenshot("three-countries")
    page.get_by_label(re.compile("^I may represent this organisation")).tap()
    page.get_by_role("button", name="Register for review").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_role("status")).to_contain_text(
        "Horn of Africa Women for Peace is waiting for review"
    )
    expect(page.get_by_text("Waiting for review").first).to_be_visible()
    assert_fits_the_screen(page)
    screenshot("waiting-for-review")
    organisation = Organisation.objects.get(name="Horn of Africa Women for Peace")
    assert organisation.status == Organisation.Status.PENDING
    assert sorted(country.code for country in organisation.countries) == ["KE", "NL", "SO"]
    assert organisation.memberships.get().user.email == "amina@horn-peace.example"
    assert organisation.memberships.get().role == Membership.Role.OWNER


def test_every_page_type_fits_a_phone_with_nothing_for_axe_to_report(
    live_server,
    page,
    log_in,
    axe_violations,
    screenshot,
    site_data,
):
    organisation, proposal = site_data["organisation"], site_data["proposal"]
    slug = {"slug": organisation.slug}
    public = [
        ("home", reverse("home")),
        ("directory", reverse("organisations:directory")),
        ("directory-no-results", reverse("organisations:directory") + "?q=zzqqxx"),
        ("map", reverse("organisations:map")),
        ("profile", organisation.get_absolute_url()),
        ("network-groups", reverse("organisations:network_groups")),
        ("network-group", site_data["group"].get_absolute_url()),
        ("events", reverse("events:list")),
        ("event", site_data["event"].get_absolute_url()),
        ("partnerships", reverse("partnerships:list")),
        ("proposal", proposal.get_absolute_url()),
        ("partnership-network", reverse("partnerships:network")),
        ("statistics", reverse("statistics")),
        ("open-data", reverse("open_data")),
        ("accessibility", reverse("accessibility")),
        ("sign-in", reverse("account_login")),
        ("sign-up", reverse("account_signup")),
        ("contact", reverse("organisations:contact", kwargs={"slug": site_data["partner"].slug})),
    ]
    member = [
        ("dashboard", reverse("dashboard")),
        ("register", reverse("organisations:register")),
        ("edit", reverse("organisations:edit", kwargs=slug)),
        ("members", reverse("organisations:members", kwargs=slug)),
        ("proposal-as-lead", proposal.get_absolute_url()),
        ("propose", reverse("partnerships:propose")),
        ("submit-event", reverse("events:submit")),
        ("event-register", site_data["upcoming"].get_absolute_url()),
        ("alerts", reverse("alerts:list")),
    ]
    reports = []

    def check(name, path):
        response = page.goto(live_server.url + path)
        if not response.ok:
            reports.append(f"[{name}] {path} answered {response.status}")
            return
        screenshot(name)
        if overflow := sideways_overflow(page):
            reports.append(f"[{name}] {path} is {overflow}px wider than the screen")
        if report := axe_violations():
            reports.append(f"[{name}] {report}")

    for name, path in public:
        check(name, path)
    log_in(member_of(organisation))
    for name, path in member:
        check(name, path)

    assert not reports, "\n\n".join(reports)
