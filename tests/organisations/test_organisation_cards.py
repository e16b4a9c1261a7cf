"""Organisations' cards (``organisations/templatetags/organisation_cards.py``): what each
card shows, escaped, in the reader's language, and the pages that list them."""

import datetime

import pytest
import time_machine
from django.template import engines
from django.urls import reverse
from django.utils import translation

from organisations.models import Organisation
from tests.clock import at
from tests.factories import NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = "2026-07-20 12:00"


def cards(organisations, item=""):
    template = engines["django"].from_string(
        "{% load organisation_cards %}{% organisation_cards organisations item %}"
    )
    return template.render({"organisations": organisations, "item": item})


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(at(TODAY), tick=False):
        yield


def test_a_card_shows_logo_name_kind_city_and_summary():
    organisation = OrganisationFactory(
        name="Dialogue Circle",
        slug="dialogue-circle",
        short_name="DC",
        kind=Organisation.Kind.DIASPORA,
        city="Delft",
        language="en",
        summary_en="Dialogue across generations.",
        last_confirmed=datetime.date(2026, 3, 4),
    )
    organisation.logo_card.name = "logos/cards/dialogue-circle.webp"

    assert cards([organisation], "li") == (
        '<li><article class="card">'
        '<img class="card-logo" src="/media/logos/cards/dialogue-circle.webp" alt="" '
        'width="48" height="48" loading="lazy" decoding="async">'
        '<h3 class="card-title"><a href="/organisations/dialogue-circle/">'
        "<bdi>Dialogue Circle (DC)</bdi></a></h3>"
        '<p class="card-meta"><span class="badge badge-diaspora">Diaspora organisation</span>'
        " · Delft</p>"
        '<p dir="auto">Dialogue across generations.</p>'
        "</article></li>"
    )


def test_a_card_without_logo_or_city_leaves_them_out_and_a_list_needs_no_item():
    first = OrganisationFactory(name="Peace Desk", city="", summary_en="Desk.")
    second = OrganisationFactory(name="Youth Forum", city="Leiden")

    html = cards([first, second])

    assert html.startswith('<article class="card"><h3 class="card-title">')
    assert html.count('<article class="card">') == 2
    assert "<li>" not in html
    assert "card-logo" not in html
    assert '<span class="badge badge-ngo">NGO</span></p>' in html
    assert "NGO</span> · Leiden</p>" in html
    assert cards([]) == ""


def test_every_value_on_a_card_is_escaped():
    organisation = OrganisationFactory(
        name='<script>alert("name")</script>',
        city='Den "Haag" & <b>',
        language="en",
        summary_en="<img src=x onerror=alert(1)> & more",
    )

    html = cards([organisation], "li")

    for raw in ("<script>", "<img src=x", "<b>"):
        assert raw not in html
    assert "<bdi>&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;</bdi>" in html
    assert " · Den &quot;Haag&quot; &amp; &lt;b&gt;</p>" in html
    assert '<p dir="auto">&lt;img src=x onerror=alert(1)&gt; &amp; more</p>' in html


def test_the_item_element_is_escaped_too():
    html = cards([OrganisationFactory()], '"><script>')

    assert "<script>" not in html
    assert html.startswith("<&quot;&gt;&lt;script&gt;>")


def test_a_card_speaks_the_readers_language():
    both = OrganisationFactory(
        name="Dialoog",
        kind=Organisation.Kind.GOVERNMENT,
        language="en",
        summary_en="Dialogue across generations.",
        summary_nl="Dialoog tussen generaties.",
    )
    english_only = OrganisationFactory(
        name="Only English", language="en", summary_en="Written in English."
    )

    with translation.override("nl"):
        html = cards([both, english_only])

    assert '<span class="badge badge-government">Overheid</span>' in html
    # The reader's own language is not marked; another one is, for screen readers.
    assert '<p dir="auto">Dialoog tussen generaties.</p>' in html
    assert '<p dir="auto" lang="en">Written in English.</p>' in html
    assert 'href="/nl/organisations/' in html


def test_a_kind_the_site_no_longer_offers_shows_as_stored():
    organisation = OrganisationFactory()
    organisation.kind = "foundation"

    assert '<span class="badge badge-foundation">foundation</span>' in cards([organisation])


def test_a_card_flags_details_not_confirmed_for_13_months_in_the_readers_language():
    # Today is 20 July 2026 (``Confirmation.STALE_AFTER_MONTHS``: 13): confirmed on 20 June
    # 2025 is stale from tomorrow on.
    stale = OrganisationFactory(name="Stale", last_confirmed=datetime.date(2025, 6, 19))
    borderline = OrganisationFactory(name="Borderline", last_confirmed=datetime.date(2025, 6, 20))

    html = cards([stale, borderline], "li")
    with translation.override("nl"):
        dutch = cards([stale])

    stale_card, borderline_card = html.split("</li>")[:2]
    assert stale_card.endswith(
        '<p class="stale-flag">Not confirmed since '
        '<time datetime="2025-06-19">19 June 2025</time></p></article>'
    )
    assert "stale-flag" not in borderline_card
    assert (
        '<p class="stale-flag">Niet bevestigd sinds '
        '<time datetime="2025-06-19">19 juni 2025</time></p>'
    ) in dutch


@pytest.mark.parametrize("page", ["home", "directory", "network group"])
def test_the_pages_that_list_organisations_show_their_cards(client, page):
    group = NetworkGroupFactory(slug="youth")
    organisation = OrganisationFactory(
        name="Youth Forum",
        slug="youth-forum",
        summary_en="Young people for peace.",
        language="en",
        published_at=at("2026-07-19 09:00"),
    )
    organisation.network_groups.add(group)
    path = {
        "home": reverse("home"),
        "directory": reverse("organisations:directory"),
        "network group": group.get_absolute_url(),
    }[page]

    html = client.get(path).content.decode()

    assert html.count('<article class="card">') == 1
    assert (
        '<h3 class="card-title"><a href="/organisations/youth-forum/"><bdi>Youth Forum</bdi>'
    ) in html
    assert '<p dir="auto">Young people for peace.</p>' in html
