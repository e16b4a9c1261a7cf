"""Languages in a real browser: the switch comes back to the page as the visitor left it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_switch_keeps_filters_chosen_live_on_the_page(live_server, page):
    OrganisationFactory(name="Amani Diaspora Network", kind="diaspora")
    OrganisationFactory(name="Bridge for Peace", kind="ngo")
    page.goto(live_server.url + reverse("organisations:directory"))

    # Typing filters the directory in place (htmx) and puts the search in the address.
    page.get_by_role("searchbox", name="Search").fill("amani")
    expect(page).to_have_url(re.compile(r"/organisations/\?q=amani&"))
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Switch").click()

    expect(page).to_have_url(re.compile(r"/ar/organisations/\?q=amani&"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#directory-results")).to_contain_text("Amani Diaspora Network")
    expect(page.locator("#directory-results")).not_to_contain_text("Bridge for Peace")
