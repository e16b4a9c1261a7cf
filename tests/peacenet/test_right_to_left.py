"""Arabic is written right to left: the page says so, one stylesheet serves both directions,
arrows turn round, and people's own text (names, addresses, numbers) keeps its order."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from organisations.models import Visibility
from partnerships.digests import status_arrow
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "peacenet.css"


def test_arabic_pages_are_right_to_left_and_the_others_left_to_right(client):
    for language, direction in [("en", "ltr"), ("nl", "ltr"), ("fr", "ltr"), ("ar", "rtl")]:
        prefix = "" if language == "en" else f"/{language}"
        html = client.get(f"{prefix}/events/").content.decode()

        assert f'<html lang="{language}" dir="{direction}">' in html


def test_the_stylesheet_says_start_and_end_never_left_and_right():
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.DOTALL)

    physical = re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*", css)

    assert physical == [], "use logical properties (margin-inline-start, text-align: start)"


def test_arrows_that_point_along_the_text_turn_round_right_to_left():
    css = STYLESHEET.read_text()

    assert '[dir="rtl"] .directional { display: inline-block; transform: scaleX(-1); }' in css


def test_contact_details_and_names_keep_their_order_in_arabic(client):
    organisation = OrganisationFactory(
        name="Women's Peace Circle (WPC)",
        slug="wpc",
        website="https://wpc.example/fr/",
        email="info@wpc.example",
        email_visibility=Visibility.PUBLIC,
        phone="+31 70 123 4567",
        phone_visibility=Visibility.PUBLIC,
    )

    html = client.get(f"/ar{organisation.get_absolute_url()}").content.decode()

    assert "<h1><bdi>Women&#x27;s Peace Circle (WPC)</bdi></h1>" in html
    assert "<bdi>https://wpc.example/fr/</bdi>" in html
    assert "<bdi>info@wpc.example</bdi>" in html
    assert "<bdi>+31 70 123 4567</bdi>" in html


def test_peoples_own_paragraphs_take_the_direction_of_their_words(client):
    organisation = OrganisationFactory(
        summary="Connects diaspora youth with peace work.", description="A longer story."
    )

    html = client.get(f"/ar{organisation.get_absolute_url()}").content.decode()

    # An English summary on an Arabic page reads left to right, its full stop at its end.
    lead = r'<p class="lead" dir="auto"[^>]*>Connects diaspora youth with peace work\.</p>'
    assert re.search(lead, html)
    assert re.search(r'<div dir="auto"[^>]*><p>A longer story\.</p></div>', html)


def test_a_digests_status_change_points_the_way_the_language_is_written():
    with translation.override("ar"):
        arabic = status_arrow()
    with translation.override("fr"):
        french = status_arrow()

    assert (arabic, french) == ("←", "→")
