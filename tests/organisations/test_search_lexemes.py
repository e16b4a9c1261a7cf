"""On PostgreSQL a search leaves out the readings of its words that no organisation's or
theme's document holds (``search.LEXEME_TABLE``, kept by triggers as rows are written): the
search index no longer looks them up, and what a search finds is the same. (Each test starts
with no lexeme found in this process: tests/conftest.py.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations import search
from organisations.models import Organisation, Theme
from peacenet.lib.caching import one_generation
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _tsquery(typed):
    return search.statement_values(search.understand(typed, correct=False))["tsquery"]


def _lexemes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM organisations_search_lexeme")
        return {lexeme for (lexeme,) in cursor.fetchall()}


def _found(typed):
    return sorted(Organisation.objects.published().search(typed).values_list("slug", flat=True))


def test_a_reading_no_document_holds_is_left_out():
    OrganisationFactory(summary="A network of schools.")

    tsquery = _tsquery("network")

    assert "'network'" in tsquery
    for reading in ("'netwerk'", "'réseau'", "'reseau'"):  # the thesaurus's equivalents
        assert reading not in tsquery


def test_an_organisation_written_adds_its_lexemes_at_once():
    organisation = OrganisationFactory(summary="A network of schools.")
    OrganisationFactory(summary_fr="Un réseau de quartiers.", language="fr")
    assert "'réseau'" in _tsquery("network")
    assert "'netwerk'" not in _tsquery("network")

    organisation.description_nl = "Een netwerk van scholen."
    organisation.save()

    assert "'netwerk'" in _tsquery("network")
    assert {"netwerk", "réseau", "network"} <= _lexemes()


def test_a_bulk_insert_adds_the_lexemes_of_every_row():
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bulk {n}", slug=f"bulk-{n}", kind="ngo", summary=f"Kintsugi{n} works."
            )
            for n in range(3)
        ]
    )

    assert {"kintsugi0", "kintsugi1", "kintsugi2"} <= _lexemes()


def test_an_update_that_leaves_the_document_alone_adds_nothing():
    OrganisationFactory(summary="Peace.")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM organisations_search_lexeme")

    Organisation.objects.update(city="Delft")  # not in the document
    assert _lexemes() == set()

    Organisation.objects.update(short_name="Origami")
    assert "origami" in _lexemes()


def test_a_theme_name_no_organisation_writes_is_kept():
    OrganisationFactory(slug="alpha", summary="Works.", themes=["Mediation"])
    assert "mediation" in {theme.slug for theme in Theme.objects.all()}

    assert "'mediat'" in _tsquery("mediation")
    assert _found("mediation") == ["alpha"]


def test_a_word_no_document_holds_keeps_its_readings_and_finds_nothing():
    OrganisationFactory(summary="Peace.")

    assert "'xyzzyq'" in _tsquery("xyzzyq peace")
    assert _found("xyzzyq peace") == []


def test_leaving_out_a_word_no_document_holds_is_left_out():
    OrganisationFactory(slug="alpha", summary="Peace.")

    assert "!" not in _tsquery("peace -xyzzyq")
    assert "!" in _tsquery("peace -peace")
    assert _found("peace -xyzzyq") == ["alpha"]


@pytest.mark.parametrize(
    "typed",
    [
        "network",
        "network schools",
        "vrouwen OR somali",
        "human rights -war",
        '"human rights"',
        "droits humains",
        "mediation youth",
        "peace -réseau",
        "xyzzyq OR peace",
    ],
)
def test_what_a_search_finds_is_the_same(typed, monkeypatch):
    OrganisationFactory(slug="network", summary="A network of schools.")
    OrganisationFactory(slug="reseau", summary_fr="Un réseau pour la paix.", language="fr")
    OrganisationFactory(slug="vrouwen", summary_nl="Vrouwen en vrede.", language="nl")
    OrganisationFactory(slug="somali", name="Somali Youth Forum", summary="Youth work.")
    OrganisationFactory(slug="rights", summary="Human rights, not war.")
    OrganisationFactory(slug="droits", summary_fr="Les droits humains.", language="fr")
    OrganisationFactory(slug="mediators", summary="Youth mediators.", themes=["Mediation"])
    kept = _found(typed)
    kept_query = _tsquery(typed)

    monkeypatch.setattr(search, "_absent", lambda readings, using: set())
    assert _found(typed) == kept
    assert len(_tsquery(typed)) >= len(kept_query)


def test_the_lexemes_of_documents_made_again_are_added():
    OrganisationFactory(summary="Peace.")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM organisations_search_lexeme")

        search.add_lexemes(cursor.execute, "organisations_organisation")
        search.add_lexemes(cursor.execute, "organisations_theme")

    assert "peac" in _lexemes()


def test_lexemes_found_are_asked_for_once():
    OrganisationFactory(summary="A network of schools.")
    _tsquery("network")
    assert "network" in search._held_lexemes

    with CaptureQueriesContext(connection) as queries:
        _tsquery("network")

    # Asked again: only the equivalents no document holds ("réseau"), not "network".
    (asked,) = [query["sql"] for query in queries if search.LEXEME_TABLE in query["sql"]]
    assert asked.endswith("ANY('{netwerk,reseau,réseau}')")


def _lexeme_queries(queries):
    return [query["sql"] for query in queries if search.LEXEME_TABLE in query["sql"]]


def test_within_a_public_page_lexemes_not_found_are_asked_for_once_per_generation():
    OrganisationFactory(summary="A network of schools.")
    with one_generation("first"):
        _tsquery("network")
        with CaptureQueriesContext(connection) as queries:
            assert "'netwerk'" not in _tsquery("network")
    assert _lexeme_queries(queries) == []

    # A word written meanwhile: its change starts a new generation, whose pages ask again.
    OrganisationFactory(summary_nl="Een netwerk van scholen.", language="nl")
    with one_generation("first"):
        assert "'netwerk'" not in _tsquery("network")
    with one_generation("second"), CaptureQueriesContext(connection) as queries:
        assert "'netwerk'" in _tsquery("network")
    (asked,) = _lexeme_queries(queries)
    assert asked.endswith("ANY('{netwerk,reseau,réseau}')")


def test_outside_a_public_page_lexemes_not_found_are_asked_for_every_time():
    OrganisationFactory(summary="A network of schools.")
    with one_generation("first"):
        _tsquery("network")

    with CaptureQueriesContext(connection) as queries:
        _tsquery("network")

    assert len(_lexeme_queries(queries)) == 1
