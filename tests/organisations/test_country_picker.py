"""The countries picker on the registration and edit forms, as it is without JavaScript: a
checkbox per country, grouped by region, the regions with chosen countries open. (What
JavaScript adds, the search box and the chips, is tried in the browser tests of the same
name.)"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from organisations.models import Organisation
from organisations.regions import OTHER, REGIONS, by_region
from tests.factories import MembershipFactory
from tests.organisations.test_registration import registration

pytestmark = pytest.mark.django_db

REGISTER = reverse("organisations:register")
REGION_BLOCK = re.compile(
    r'<details class="country-region"( open)?>\s*<summary>(.*?)</summary>(.*?)</details>', re.S
)
CHECKBOX = re.compile(r'<input type="checkbox" name="countries" value="(\w\w)"([^>]*)>')


def regions_in(body):
    """{region: {"open": bool, "codes": [...], "ticked": [...]}} as the page shows them."""
    found = {}
    for opened, name, block in REGION_BLOCK.findall(body):
        boxes = CHECKBOX.findall(block)
        found[name.strip()] = {
            "open": bool(opened),
            "codes": [code for code, _attrs in boxes],
            "ticked": [code for code, attrs in boxes if " checked" in attrs],
        }
    return found


def test_every_country_belongs_to_exactly_one_region():
    placed = [code for _name, codes in REGIONS for code in codes.split()]

    assert len(placed) == len(set(placed)), "a country is in two regions"
    assert set(placed) == {country.code for country in countries}
    assert OTHER not in [region for region, _members in by_region(list(countries))]


def test_register_offers_every_country_as_a_checkbox_grouped_by_region(client, user):
    client.force_login(user)

    body = client.get(REGISTER).content.decode()

    regions = regions_in(body)
    assert list(regions) == ["Africa", "The Americas", "Asia", "Europe", "Oceania", "Antarctica"]
    assert "SO" in regions["Africa"]["codes"]
    assert "NL" in regions["Europe"]["codes"]
    assert "AF" in regions["Asia"]["codes"]
    assert sum(len(region["codes"]) for region in regions.values()) == len(countries)
    assert not any(region["open"] or region["ticked"] for region in regions.values())
    # The 249-entry multiple select that needed Ctrl or Cmd is gone.
    assert 'multiple id="id_countries"' not in body
    assert "Ctrl" not in body
    # The checkboxes are labelled and sit in a fieldset named after the field.
    assert (
        '<label for="id_countries_SO"><input type="checkbox" name="countries" value="SO"' in body
    )
    assert re.search(r"<legend[^>]*>Countries of focus:?</legend>", body)
    # The enhancement is a script and a stylesheet of our own: nothing inline.
    assert re.search(r'<script src="/static/js/country-picker\.js" defer>', body)
    assert '<link href="/static/css/country-picker.css"' in body


def test_countries_keep_the_order_of_their_names_in_the_readers_language_within_a_region():
    with translation.override("nl"):
        everything = [(country.code, country.name) for country in countries]
        europe = next(members for region, members in by_region(everything) if region == "Europa")

    assert europe == [(code, name) for code, name in everything if code in set(dict(europe))]
    assert europe[:2] == [("AX", "Ålandseilanden"), ("AL", "Albanië")]
    assert ("DE", "Duitsland") in europe


def test_register_saves_the_ticked_countries(client, user):
    client.force_login(user)

    response = client.post(REGISTER, registration(countries=["SO", "KE", "NL"]))

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Tosangana Peace Circle")
    assert sorted(country.code for country in organisation.countries) == ["KE", "NL", "SO"]


def test_register_refuses_an_unknown_country_and_keeps_the_ticked_ones(client, user):
    client.force_login(user)

    response = client.post(REGISTER, registration(countries=["SO", "XX"]))

    assert response.status_code == 200
    assert not Organisation.objects.exists()
    body = response.content.decode()
    assert 'href="#field-countries"' in body  # the error summary links to the picker
    assert "XX is not one of the available choices" in body
    regions = regions_in(body)
    assert regions["Africa"] == {**regions["Africa"], "open": True, "ticked": ["SO"]}


def test_edit_shows_the_chosen_countries_ticked_in_open_regions(client, user):
    organisation = MembershipFactory(user=user, organisation__countries=["SO", "UA"]).organisation
    client.force_login(user)

    body = client.get(reverse("organisations:edit", kwargs={"slug": organisation.slug}))
    regions = regions_in(body.content.decode())

    assert regions["Africa"]["ticked"] == ["SO"]
    assert regions["Africa"]["open"]
    assert regions["Europe"]["ticked"] == ["UA"]
    assert regions["Europe"]["open"]
    assert not regions["Asia"]["open"]


def test_edit_unticking_every_country_clears_them(client, user):
    organisation = MembershipFactory(user=user, organisation__countries=["SO"]).organisation
    client.force_login(user)
    data = registration(name=organisation.name, kind=organisation.kind)
    del data["consent"]

    response = client.post(reverse("organisations:edit", kwargs={"slug": organisation.slug}), data)

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert list(organisation.countries) == []
