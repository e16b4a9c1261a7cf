"""The countries picker in a real browser: by keyboard with JavaScript (type-ahead, chips that
remove, announcements for screen readers), and without JavaScript (checkboxes by region)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import Organisation
from tests.browser.keyboard import press_to_navigate, tab_to
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_in_the_rest(page, name):
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_label("Kind:", exact=True).select_option(label="NGO")
    page.get_by_label("Summary:", exact=True).fill("Works for peace in the Horn of Africa.")
    page.get_by_label(re.compile("^I may represent this organisation")).check()


def test_keyboard_user_chooses_and_removes_countries_by_typing(
    live_server, page, log_in, assert_accessible, screenshot
):
    log_in(UserFactory())
    page.goto(live_server.url + reverse("organisations:register"))
    fill_in_the_rest(page, "Horn of Africa Peace Forum")
    search = page.get_by_role("combobox", name="Find a country")
    chips = page.get_by_role("list", name="Chosen:")
    status = page.locator("[data-country-picker] [role=status]")
    expect(page.get_by_text("Chosen: none yet")).to_be_visible()

    page.get_by_label("Summary:", exact=True).focus()
    tab_to(page, search, limit=30)
    page.keyboard.type("som")
    listbox = page.get_by_role("listbox", name="Countries")
    expect(search).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).to_have_text(["Somalia"])
    expect(search).to_have_attribute("aria-activedescendant", re.compile("_SO$"))
    assert_accessible()
    screenshot("typing-som")
    page.keyboard.press("Enter")  # chooses; does not send the form
    expect(status).to_have_text("Somalia added.")
    expect(search).to_have_value("")
    expect(search).to_have_attribute("aria-expanded", "false")

    page.keyboard.type("ken")
    page.keyboard.press("Enter")
    # "land" is in several names: the arrows move through them.
    page.keyboard.type("land")
    expect(listbox.get_by_role("option").first).to_have_text("Åland Islands")
    page.keyboard.press("End")  # the caret, not the list: still the first option
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # wraps round to the last
    last = listbox.get_by_role("option").last
    expect(search).to_have_attribute("aria-activedescendant", last.get_attribute("id"))
    page.keyboard.press("Escape")
    expect(search).to_have_value("")
    page.keyboard.type("netherl")
    page.keyboard.press("Enter")
    expect(chips.get_by_role("button")).to_contain_text(["Kenya", "Netherlands", "Somalia"])
    for index, name in enumerate(["Kenya", "Netherlands", "Somalia"]):
        expect(chips.get_by_role("button").nth(index)).to_have_accessible_name(f"Remove {name}")
    expect(page.get_by_text("none yet")).to_be_hidden()
    assert page.locator("#id_countries_NL").is_checked()
    assert page.url.endswith(reverse("organisations:register")), "Enter sent the form"

    # A country not in the list says so, and nothing is chosen.
    page.keyboard.type("atlantis")
    expect(page.locator("[data-no-match]")).to_be_visible()
    expect(status).to_have_text(re.compile("^No country has that name"))
    page.keyboard.press("Escape")

    # Remove Kenya by its chip; the focus moves on to the next chip.
    kenya = chips.get_by_role("button", name="Remove Kenya")
    tab_to(page, kenya, limit=10, backwards=True)
    assert_accessible()
    screenshot("three-chosen")
    page.keyboard.press("Enter")
    expect(status).to_have_text("Kenya removed.")
    expect(chips.get_by_role("button", name="Remove Netherlands")).to_be_focused()
    assert not page.locator("#id_countries_KE").is_checked()

    # Typing a chosen country shows it as chosen; choosing it again removes it.
    search.focus()
    page.keyboard.type("somal")
    expect(listbox.get_by_role("option", name="Somalia")).to_have_attribute(
        "aria-selected", "true"
    )
    page.keyboard.press("Escape")

    tab_to(page, page.get_by_role("button", name="Register for review"), limit=80)
    press_to_navigate(page)
    expect(page.get_by_role("status")).to_contain_text("waiting for review")
    organisation = Organisation.objects.get(name="Horn of Africa Peace Forum")
    assert sorted(country.code for country in organisation.countries) == ["NL", "SO"]


def test_without_javascript_countries_are_ticked_region_by_region(
    live_server, new_context, log_in, screenshot
):
    page = new_context(java_script_enabled=False).new_page()
    log_in(UserFactory(), into=page.context)
    page.goto(live_server.url + reverse("organisations:register"))
    expect(page.get_by_role("combobox", name="Find a country")).to_have_count(0)
    fill_in_the_rest(page, "Great Lakes Dialogue")
    page.get_by_text("Africa", exact=True).click()  # opens the region
    page.get_by_role("checkbox", name="Democratic Republic of the Congo").check()
    page.get_by_role("checkbox", name="Rwanda").check()
    page.get_by_text("Europe", exact=True).click()
    page.get_by_role("checkbox", name="Belgium").check()
    screenshot("ticked-by-region")
    page.get_by_role("button", name="Register for review").click()
    expect(page.get_by_role("status")).to_contain_text("waiting for review")
    organisation = Organisation.objects.get(name="Great Lakes Dialogue")
    assert sorted(country.code for country in organisation.countries) == ["BE", "CD", "RW"]
