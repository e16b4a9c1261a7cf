"""A city has one spelling in the directory, whichever of its names was typed."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from organisations.cities import canonical_city, city_key
from organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")


@pytest.mark.parametrize(
    "typed",
    ["Den Haag", "den haag", "'s-Gravenhage", "s-gravenhage", "THE HAGUE", " the  hague "],
)
def test_canonical_city_knows_the_names_of_the_hague(typed):
    assert canonical_city(typed) == "The Hague"


def test_canonical_city_tidies_an_unknown_city_typed_in_one_case():
    assert canonical_city("  nijmegen ") == "Nijmegen"
    assert canonical_city("'s-Hertogenbosch") == "'s-Hertogenbosch"
    assert canonical_city("") == ""
    assert city_key("DEN HAAG") == "the hague"


def test_organisation_city_is_saved_in_its_canonical_form():
    organisation = OrganisationFactory(city="den haag")

    organisation.refresh_from_db()

    assert organisation.city == "The Hague"


def test_migration_canonicalises_existing_cities():
    hague = OrganisationFactory()
    leiden = OrganisationFactory()
    # Rows written before the rule, bypassing save().
    Organisation.objects.filter(pk=hague.pk).update(city="'s-Gravenhage")
    Organisation.objects.filter(pk=leiden.pk).update(city="leiden")
    migration = importlib.import_module("organisations.migrations.0009_canonical_cities")

    migration.canonicalise_cities(apps, None)

    assert Organisation.objects.get(pk=hague.pk).city == "The Hague"
    assert Organisation.objects.get(pk=leiden.pk).city == "Leiden"


@pytest.mark.parametrize("typed", ["Den Haag", "'s-Gravenhage", "the hague"])
def test_directory_city_filter_finds_the_hague_by_any_of_its_names(client, typed):
    OrganisationFactory(slug="hague", city="The Hague")
    OrganisationFactory(slug="rotterdam", city="Rotterdam")

    response = client.get(DIRECTORY, {"city": typed})

    assert [o.slug for o in response.context["page_obj"]] == ["hague"]


def test_directory_city_facet_counts_each_city_once(client):
    OrganisationFactory.create_batch(2, city="Den Haag")
    OrganisationFactory(city="The Hague")
    OrganisationFactory(city="Rotterdam")
    OrganisationFactory(city="Utrecht", kind="government")

    response = client.get(DIRECTORY, {"kind": "ngo"})

    cities = {o["value"]: o["count"] for o in response.context["facets"]["cities"]}
    assert cities == {"Rotterdam": 1, "The Hague": 3, "Utrecht": 0}
    assert '<option value="The Hague">The Hague (3)</option>' in response.content.decode()


def test_directory_city_facet_is_counted_without_its_own_choice(client):
    OrganisationFactory(city="The Hague")
    OrganisationFactory(city="Rotterdam")

    response = client.get(DIRECTORY, {"city": "den haag"})

    cities = {o["value"]: (o["count"], o["chosen"]) for o in response.context["facets"]["cities"]}
    assert cities == {"Rotterdam": (1, False), "The Hague": (1, True)}
    assert response.context["total"] == 1
