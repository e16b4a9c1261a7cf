"""The thesaurus file: its shape, and that a search finds the same idea in other words on
both databases."""

import re

import pytest

from organisations import search
from organisations.models import Organisation
from tests.factories import OrganisationFactory


def _lines():
    text = search.THESAURUS_FILE.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_thesaurus_says_its_version_and_date():
    first = search.THESAURUS_FILE.read_text(encoding="utf-8").splitlines()[0]

    assert re.fullmatch(r"# PeaceNet thesaurus -- version \d+ \(\d{1,2} \w+ \d{4}\)", first)


def test_thesaurus_lines_are_lower_case_groups_of_two_or_more_distinct_entries():
    for line in _lines():
        entries = [entry.strip() for entry in line.split(" = ")]
        assert len(entries) >= 2, line
        assert all(entry == entry.lower() and entry for entry in entries), line
        assert len({search.fold(entry) for entry in entries}) == len(entries), line


def test_thesaurus_entry_belongs_to_one_line_only():
    seen = {}
    for line in _lines():
        for entry in line.split(" = "):
            key = search.fold(entry)
            assert key not in seen, f"{entry!r} is in {seen.get(key)!r} and {line!r}"
            seen[key] = line


@pytest.mark.parametrize(
    ("word", "equivalent"),
    [
        ("ontwikkeling", "development"),
        ("bemiddeling", "mediation"),
        ("rechtvaardigheid", "justice"),
        ("droits humains", "human rights"),
        ("developpement", "ontwikkeling"),  # Accents are optional.
        ("organization", "organisation"),
        ("stabilization", "stabilisation"),
        ("center", "centre"),
    ],
)
def test_thesaurus_knows_the_network_words(word, equivalent):
    assert equivalent in search.thesaurus()[search.fold(word)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("ontwikkeling", "Supports development in the Horn of Africa."),
        ("bemiddeling", "Mediation between communities."),
        ("rechtvaardigheid", "Works for justice after war."),
        ("droits humains", "Defends human rights."),
        ("mensenrechten", "Defends human rights."),
        ("human rights", "Verdedigt mensenrechten."),
        ("organizations", "Supports diaspora organisations."),
        ("stabilization", "Research on stabilisation missions."),
        ("women", "Netwerk van vrouwen."),
    ],
)
def test_search_finds_the_same_idea_in_other_words(query, text):
    found = OrganisationFactory(name="Alpha", summary=text, description="")
    OrganisationFactory(name="Beta", summary="Something else entirely.", description="")

    assert list(Organisation.objects.search(query)) == [found]
