"""The small helpers of ``peacenet.lib`` that the apps share."""

import json

import pytest

from organisations.models import Organisation
from peacenet.lib.jsonld import json_ld_script
from peacenet.lib.links import absolute_url
from peacenet.lib.slugs import reserved_under, unique_slug
from tests.factories import OrganisationFactory


@pytest.mark.django_db
def test_unique_slug_numbers_taken_and_reserved_slugs():
    OrganisationFactory(slug="peace-lab")
    OrganisationFactory(slug="peace-lab-2")

    def slug(text):
        return unique_slug(
            text, queryset=Organisation.objects, fallback="organisation", under="/organisations/"
        )

    assert slug("Peace Lab") == "peace-lab-3"
    assert slug("Register") == "register-2"
    assert slug("Export") == "export-2"
    assert slug("!!!") == "organisation"


def test_reserved_slugs_are_the_fixed_words_of_the_url_patterns_under_an_address():
    reserved = reserved_under("/organisations/", urlconf="tests.peacenet.slug_urls")

    assert reserved == {"map", "export", "stats", "feed"}
    assert reserved_under("/elsewhere/", urlconf="tests.peacenet.slug_urls") == set()


def test_reserved_slugs_of_the_site_cover_its_fixed_addresses():
    assert reserved_under("/organisations/") >= {"register", "export"}
    assert reserved_under("/partnerships/") >= {"propose", "feed"}
    assert reserved_under("/events/") >= {"feed"}


@pytest.mark.django_db
def test_a_new_fixed_address_is_reserved_as_soon_as_it_exists(settings):
    settings.ROOT_URLCONF = "tests.peacenet.slug_urls"

    made = unique_slug(
        "Map", queryset=Organisation.objects, fallback="organisation", under="/organisations/"
    )

    assert made == "map-2"


def test_absolute_url_puts_the_site_address_before_the_path(settings):
    settings.SITE_URL = "https://peacenet.example"

    assert absolute_url("/organisations/x/") == "https://peacenet.example/organisations/x/"


def test_absolute_url_keeps_an_address_that_is_already_full(settings):
    settings.SITE_URL = "https://peacenet.example"

    assert absolute_url("https://media.example/logos/a.png") == "https://media.example/logos/a.png"


def test_json_ld_script_cannot_be_closed_by_the_data():
    script = json_ld_script({"name": "</script><script>alert(1)</script>"})

    assert script.startswith('<script type="application/ld+json">')
    assert script.count("</script>") == 1
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(body) == {"name": "</script><script>alert(1)</script>"}
