"""A French speaker registers their organisation with a French summary and, once staff have
published it, a visitor finds it by a French word; an English reader sees the summary as
written, marked as French. In a real browser."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from organisations import services
from organisations.models import Organisation, Theme
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "Nous accompagnons les jeunes de la diaspora congolaise vers la médiation de quartier."


def _french(new_context, live_server):
    """A browser that chose French with the language switch (its cookie)."""
    context = new_context()
    context.add_cookies(
        [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": "fr",
                "domain": urlsplit(live_server.url).hostname,
                "path": "/",
            }
        ]
    )
    return context


def test_register_with_a_french_summary_then_find_it_by_a_french_word(
    live_server, new_context, log_in, page, screenshot
):
    youth = Theme.objects.create(slug="youth", name_en="Youth", name_fr="Jeunesse")
    person = UserFactory(email="aline@jeunes.example")
    french = _french(new_context, live_server)
    log_in(person, into=french)
    with translation.override("fr"):
        register_button = gettext("Register for review")

    # Register in French: the form is in French, and so are the texts by default.
    form = french.new_page()
    form.goto(live_server.url + reverse("organisations:register"))
    expect(form.locator("html")).to_have_attribute("lang", "fr")
    form.locator("#id_name").fill("Jeunes Médiateurs de Kinshasa")
    form.locator("#id_kind").select_option("diaspora")
    form.locator("#id_summary").fill(SUMMARY)
    expect(form.locator("#id_language")).to_have_value("fr")
    form.locator("#id_themes").fill("Jeunesse")
    form.locator("#id_consent").check()
    form.get_by_role("button", name=register_button).click()
    expect(form.locator("html")).to_have_attribute("lang", "fr")
    organisation = Organisation.objects.get(name="Jeunes Médiateurs de Kinshasa")
    assert (organisation.language, organisation.summary_fr) == ("fr", SUMMARY)
    assert list(organisation.themes.all()) == [youth]

    staff = UserFactory(is_staff=True, is_superuser=True)
    services.publish(organisations=Organisation.objects.filter(pk=organisation.pk), by=staff)

    # A visitor reading French finds it by a French word of its summary.
    visitor = _french(new_context, live_server).new_page()
    visitor.goto(live_server.url + reverse("organisations:directory"))
    visitor.locator("#id_q").fill("quartier")
    visitor.locator("#id_q").press("Enter")
    result = visitor.get_by_role("link", name="Jeunes Médiateurs de Kinshasa")
    expect(result).to_be_visible()
    result.click()
    expect(visitor.locator(".lead")).to_have_text(SUMMARY)
    expect(visitor.locator(".lead")).not_to_have_attribute("lang", re.compile("."))

    # An English reader gets the original, marked as French for screen readers.
    page.goto(live_server.url + organisation.get_absolute_url())
    expect(page.locator(".lead")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Youth")).to_be_visible()
    screenshot("french-summary-for-an-english-reader")
