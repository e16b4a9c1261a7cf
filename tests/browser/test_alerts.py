"""A person follows a directory search in a real browser and finds it on "My alerts"."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alerts.models import Follow
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_follows_a_search_and_sees_it_on_my_alerts(
    live_server, page, log_in, screenshot, assert_accessible
):
    OrganisationFactory(name="Diaspora Women for Peace", kind="diaspora")
    person = UserFactory()
    log_in(person)

    page.goto(live_server.url + reverse("organisations:directory") + "?kind=diaspora")
    page.get_by_role(
        "button", name="Alert me about new organisations matching this search"
    ).click()
    expect(
        page.get_by_text("You get alerts about new organisations matching this search.")
    ).to_be_visible()
    screenshot("search-followed", of=page)

    page.get_by_role("link", name="My alerts").first.click()
    expect(page).to_have_url(re.compile(r"/alerts/$"))
    expect(page.get_by_role("link", name="Diaspora organisation")).to_be_visible()
    screenshot("my-alerts", of=page)
    assert_accessible()
    assert Follow.objects.get(user=person).query == "kind=diaspora"
