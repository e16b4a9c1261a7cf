"""The small helpers of ``peacenet.lib`` that the apps share."""

import json

import pytest

from organisations.models import Organisation
from peacenet.lib.jsonld import json_ld_script
from peacenet.lib.links import absolute_url
from peacenet.lib.slugs import unique_slug
from tests.factories import OrganisationFactory


@pytest.mark.django_db
def test_unique_slug_numbers_taken_and_reserved_slugs():
    OrganisationFactory(slug="peace-lab")
    OrganisationFactory(slug="peace-lab-2")

    taken = unique_slug("Peace Lab", queryset=Organisation.objects, fallback="organisation")
    reserved = unique_slug(
        "Feed", queryset=Organisation.objects, fallback="organisation", reserved={"feed"}
    )
    no_letters = unique_slug("!!!", queryset=Organisation.objects, fallback="organisation")

    assert (taken, reserved, no_letters) == ("peace-lab-3", "feed-2", "organisation")


def test_absolute_url_puts_the_site_address_before_the_path(settings):
    settings.SITE_URL = "https://peacenet.example"

    assert absolute_url("/organisations/x/") == "https://peacenet.example/organisations/x/"


def test_json_ld_script_cannot_be_closed_by_the_data():
    script = json_ld_script({"name": "</script><script>alert(1)</script>"})

    assert script.startswith('<script type="application/ld+json">')
    assert script.count("</script>") == 1
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(body) == {"name": "</script><script>alert(1)</script>"}
