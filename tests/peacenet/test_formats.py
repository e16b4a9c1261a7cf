"""Dates, times and numbers as each reader writes them: on pages, in feeds and in mail, in
every interface language, always in Amsterdam time."""

import importlib
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core import mail as outbox
from django.template import engines
from django.template.loader import get_template
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import formats, translation

from events import emails as event_emails
from peacenet.formats import OWN_FORMATS
from tests.clock import at, frozen_clock
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory
from tests.languages import in_language

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
# An event on a Thursday afternoon in July, as each language writes its date and time.
START = "2026-07-09 15:00"
WRITTEN = {
    "en": {
        "day": "Thursday 9 July 2026, 15:00",
        "datetime": "9 July 2026, 15:00",
        "number": "12,345",
    },
    "nl": {
        "day": "donderdag 9 juli 2026, 15:00",
        "datetime": "9 juli 2026, 15:00",
        "number": "12.345",
    },
    "fr": {
        "day": "jeudi 9 juillet 2026 à 15:00",
        "datetime": "9 juillet 2026 à 15:00",
        "number": "12\u202f345",
    },
    "ar": {
        "day": "الخميس 9 يوليو 2026، 15:00",
        "datetime": "9 يوليو 2026، 15:00",
        "number": "12,345",
    },
}
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# What a template or the code may pass to |date, |time or date_format besides the names of
# formats: the machine formats of <time datetime>, file names and the like.
MACHINE_FORMATS = {"c", "r", "U", "Y-m-d", "Y"}


def test_every_interface_language_has_its_own_formats_module():
    """A format of our own that a language lacked would print its name instead of a date."""
    for language in LANGUAGES:
        module = importlib.import_module(f"peacenet.formats.{language}.formats")
        for name in OWN_FORMATS:
            assert getattr(module, name), (language, name)
            assert formats.get_format(name, lang=language) == getattr(module, name)
    assert set(WRITTEN) >= set(LANGUAGES)


def test_no_template_or_code_spells_out_a_date_format():
    """Human date formats are named (DATE_FORMAT, DAY_DATETIME_FORMAT …), never spelt out, so
    each language writes them its own way."""
    named = set(formats.FORMAT_SETTINGS) | set(OWN_FORMATS) | MACHINE_FORMATS
    in_templates = re.compile(r"\|(?:date|time):[\"']([^\"']*)[\"']")
    in_code = re.compile(r"date_format\([^()]*(?:\([^()]*\)[^()]*)*,\s*[\"']([^\"']*)[\"']")
    sources = [(path, in_templates) for path in (ROOT / "templates").rglob("*.*")]
    for app in ("peacenet", "organisations", "events", "partnerships", "alerts"):
        sources += [(path, in_code) for path in (ROOT / app).rglob("*.py")]
    spelt_out = [
        (path.name, spelt)
        for path, pattern in sources
        for spelt in pattern.findall(path.read_text())
        if spelt not in named
    ]
    assert spelt_out == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_are_grouped_the_way_the_reader_writes_them(language):
    template = engines["django"].from_string("{% load humanize %}{{ count|intcomma }}")
    with translation.override(language):
        assert template.render({"count": 12345}) == WRITTEN[language]["number"]


@frozen_clock
@pytest.mark.parametrize("language", LANGUAGES)
def test_event_page_and_feed_write_the_date_in_the_readers_language_and_amsterdam_time(
    client, language
):
    event = EventFactory(start=at(START), end=at("2026-07-09 17:00"), summary="On mediation.")

    page = client.get(in_language(event.get_absolute_url(), language)).text
    feed = client.get(in_language(reverse("events:feed"), language)).text

    assert f"{WRITTEN[language]['day']}</time>" in page
    assert 'datetime="2026-07-09T15:00:00+02:00"' in page  # summer time in Amsterdam
    assert f'<summary type="html">{WRITTEN[language]["datetime"]} · Humanity House' in feed


@frozen_clock
@pytest.mark.parametrize("language", LANGUAGES)
def test_mail_writes_the_date_in_the_recipients_language(
    language, django_capture_on_commit_callbacks
):
    event = EventFactory(start=at(START), end=at("2026-07-09 17:00"), capacity=1)
    registration = RegistrationFactory(event=event, user=UserFactory(preferred_language=language))

    with django_capture_on_commit_callbacks(execute=True):
        event_emails.promoted(registration=registration)

    (message,) = outbox.outbox
    assert WRITTEN[language]["datetime"] in message.body


@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_times_are_amsterdam_time_and_the_event_page_says_so(client):
    event = EventFactory(start=at("2026-12-03 00:30"), end=at("2026-12-03 02:00"))

    page = client.get(event.get_absolute_url()).text

    assert "Thursday 3 December 2026, 00:30</time>" in page
    assert "Amsterdam time" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_directory_counts_its_results_with_the_readers_grouping(language, rf):
    status = get_template("organisations/directory.html#status")

    with translation.override(language):
        text = status.render({"total": 12345, "form": forms.Form()}, rf.get("/"))

    assert WRITTEN[language]["number"] in text
