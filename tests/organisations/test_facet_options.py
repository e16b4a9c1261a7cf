"""The directory's facet options as the panel shows them (``organisations/templatetags/
facet_options.py``): links, check boxes and select options, with counts as ``intcomma``
writes them in the reader's language."""

import re

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils import translation

from organisations.templatetags.facet_options import count_text
from tests.factories import OrganisationFactory
from tests.languages import in_language

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")


@pytest.mark.parametrize("language", ["en", "nl", "fr", "ar"])
def test_a_count_reads_as_intcomma_writes_it(language):
    with translation.override(language):
        for count in (0, 7, 999, 1000, 12_345, 1_234_567):
            assert count_text(count) == intcomma(count), (language, count)


def _panel(response):
    html = response.content.decode()
    return html[html.index('id="directory-facets"') : html.index('id="id_ordering"')]


def test_the_panel_links_to_each_option_and_back_from_the_chosen_one(client):
    OrganisationFactory.create_batch(2, kind="ngo", city="Rotterdam", countries=["SO"])
    OrganisationFactory(kind="diaspora", city="Rotterdam")
    OrganisationFactory(kind="government", city="Delft", themes=["Youth"])

    panel = _panel(client.get(DIRECTORY, {"kind": "ngo", "city": "Rotterdam"}))

    # The chosen kind links back to the search without it, its count and a word for
    # screen readers; another kind with results links to it; one without is no link.
    assert (
        '<a class="facet-option facet-chosen" id="facet-kind-ngo" href="?city=Rotterdam" '
        'aria-current="true">NGO <span class="facet-count">(2)</span>'
        '<span class="visually-hidden"> (chosen; select to remove)</span></a>'
    ) in panel
    assert (
        '<a class="facet-option" id="facet-kind-diaspora" '
        'href="?city=Rotterdam&amp;kind=diaspora">Diaspora organisation '
        '<span class="facet-count">(1)</span></a>'
    ) in panel
    # No government organisation in Rotterdam (counted without the kind): no link.
    assert 'id="facet-kind-government"' not in panel
    assert re.search(
        r'<span class="facet-option facet-empty" aria-disabled="true">Government '
        r'<span class="facet-count">\(0\)</span></span>',
        panel,
    )
    assert '<option value="Rotterdam" selected>Rotterdam (2)</option>' in panel
    assert '<option value="Delft" disabled>Delft (0)</option>' in panel
    assert '<option value="SO">Somalia (2)</option>' in panel
    assert re.search(
        r'<li class="facet-check facet-empty"><input type="checkbox" name="theme" '
        r'value="youth" id="theme-youth" disabled> <label for="theme-youth">Youth '
        r'<span class="facet-count">\(0\)</span></label></li>',
        panel,
    )


def test_the_panel_checks_a_chosen_theme_and_speaks_the_readers_language(client):
    OrganisationFactory(kind="ngo", themes=["Youth"])

    panel = _panel(client.get(in_language(DIRECTORY, "nl"), {"theme": "youth", "kind": "ngo"}))

    assert 'value="youth" id="theme-youth" checked>' in panel
    assert '<span class="visually-hidden"> (gekozen; selecteer om weg te halen)</span>' in panel
