import datetime
import re
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from organisations.models import Organisation
from organisations.views import directory
from tests.clock import NOW
from tests.factories import NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")


def _listed(response):
    """The profile slugs listed on a directory page, in order."""
    html = response.content.decode()
    results = html[html.index('id="directory-results"') :]
    return re.findall(r'<h3 class="card-title"><a href="/organisations/([^/]+)/">', results)


def _option(response, facet, value):
    return next(o for o in response.context["facets"][facet] if o["value"] == value)


def test_directory_lists_only_published_organisations(client):
    OrganisationFactory(slug="shown")
    for status in ("pending", "rejected", "archived"):
        OrganisationFactory(slug=status, status=status)

    response = client.get(DIRECTORY)

    assert _listed(response) == ["shown"]
    assert response.context["total"] == 1


def test_directory_filters_by_kind(client):
    OrganisationFactory(slug="ministry", kind="government")
    OrganisationFactory(slug="ngo", kind="ngo")

    response = client.get(DIRECTORY, {"kind": "government"})

    assert _listed(response) == ["ministry"]


def test_directory_filters_by_network_group(client):
    group = NetworkGroupFactory(slug="youth")
    member = OrganisationFactory(slug="member")
    member.network_groups.add(group)
    OrganisationFactory(slug="outsider")

    response = client.get(DIRECTORY, {"network_group": "youth"})

    assert _listed(response) == ["member"]


def test_directory_themes_combine_with_and(client):
    OrganisationFactory(slug="both", themes=["Gender", "Youth"])
    OrganisationFactory(slug="gender-only", themes=["Gender"])

    response = client.get(DIRECTORY + "?theme=gender&theme=youth")

    assert _listed(response) == ["both"]


def test_directory_filters_by_country_among_several(client):
    OrganisationFactory(slug="great-lakes", countries=["BI", "CD", "RW"])
    OrganisationFactory(slug="somalia", countries=["SO"])

    response = client.get(DIRECTORY, {"country": "CD"})

    assert _listed(response) == ["great-lakes"]


def test_directory_filters_by_city_ignoring_case(client):
    OrganisationFactory(slug="rotterdam", city="Rotterdam")
    OrganisationFactory(slug="hague", city="The Hague")

    response = client.get(DIRECTORY, {"city": "rotterdam"})

    assert _listed(response) == ["rotterdam"]


def test_directory_orders_by_relevance_when_searching(client):
    OrganisationFactory(slug="mentions", name="Alpha", description="Some mediation work.")
    OrganisationFactory(slug="named", name="Mediation Network")

    response = client.get(DIRECTORY, {"q": "mediation"})

    assert response.context["ordering"] == "relevance"
    assert _listed(response) == ["named", "mentions"]


def test_directory_orders_by_name_or_newest_on_request(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    OrganisationFactory(slug="a", name="A")
    time_machine.shift(datetime.timedelta(days=1))
    OrganisationFactory(slug="b", name="B")

    by_name = client.get(DIRECTORY, {"ordering": "name"})
    newest = client.get(DIRECTORY, {"ordering": "newest"})

    assert _listed(by_name) == ["a", "b"]
    assert _listed(newest) == ["b", "a"]


def test_directory_facet_counts_are_within_the_current_search(client):
    OrganisationFactory(name="A", kind="ngo", summary="Peace education.", themes=["Youth"])
    OrganisationFactory(name="B", kind="ngo", summary="Peace radio.", themes=["Media"])
    OrganisationFactory(name="C", kind="government", summary="Peace policy.", themes=["Youth"])
    OrganisationFactory(name="D", kind="diaspora", summary="Football club.", themes=["Youth"])

    response = client.get(DIRECTORY, {"q": "peace", "kind": "ngo"})

    assert response.context["total"] == 2
    # Kinds are counted without the chosen kind: what choosing another would give.
    assert _option(response, "kinds", "ngo")["count"] == 2
    assert _option(response, "kinds", "government")["count"] == 1
    assert _option(response, "kinds", "diaspora")["count"] == 0
    # Themes are counted within everything chosen.
    assert _option(response, "themes", "youth")["count"] == 1
    assert _option(response, "themes", "media")["count"] == 1


def test_directory_shows_zero_count_options_disabled(client):
    OrganisationFactory(kind="ngo", themes=["Youth"])
    OrganisationFactory(kind="government", themes=["Media"])

    response = client.get(DIRECTORY, {"kind": "ngo"})
    html = response.content.decode()

    assert re.search(r'<input type="checkbox" name="theme" value="media"[^>]*disabled', html)
    assert 'aria-disabled="true">Diaspora organisation' in html


def test_directory_paginates_and_keeps_the_filters(client):
    OrganisationFactory.create_batch(25, kind="ngo")

    response = client.get(DIRECTORY, {"kind": "ngo"})
    second = client.get(DIRECTORY, {"kind": "ngo", "page": 2})

    assert 'href="?kind=ngo&amp;page=2"' in response.content.decode()
    assert len(_listed(response)) == 20
    assert len(_listed(second)) == 5


def test_directory_pages_share_one_rendering_of_the_facets(client):
    """The facet panel is the same on every page of a search (its links leave the page out):
    the second page works out no facet options."""
    OrganisationFactory.create_batch(25, kind="ngo")

    with mock.patch.object(
        directory, "facet_options", wraps=directory.facet_options
    ) as worked_out:
        first = client.get(DIRECTORY, {"kind": "ngo"})
        second = client.get(DIRECTORY, {"kind": "ngo", "page": 2})

    assert worked_out.call_count == 1
    facets = re.compile(r'<div id="directory-facets".*?</nav>', re.S)
    assert (
        facets.search(second.content.decode()).group()
        == facets.search(first.content.decode()).group()
    )
    assert len(_listed(second)) == 5


def test_directory_without_results_suggests_removing_filters(client):
    OrganisationFactory(kind="ngo", city="Rotterdam")

    response = client.get(DIRECTORY, {"kind": "government", "city": "Rotterdam"})
    html = response.content.decode()

    assert _listed(response) == []
    assert "No organisations found" in html
    assert 'href="?city=Rotterdam"' in html  # Without the kind.


def test_directory_search_with_typo_corrects_the_word(client):
    OrganisationFactory(slug="tosangana", name="Stichting Tosangana")
    OrganisationFactory(slug="other", name="Cordaid")

    response = client.get(DIRECTORY, {"q": "tosangna"})

    assert response.context["fuzzy"] is False
    assert response.context["corrected"] == "tosangana"
    assert _listed(response) == ["tosangana"]


def test_directory_search_as_typed_with_typo_falls_back_to_similar_names(client):
    OrganisationFactory(slug="tosangana", name="Stichting Tosangana")
    OrganisationFactory(slug="other", name="Cordaid")

    response = client.get(DIRECTORY, {"q": "tosangna", "as_typed": "1"})

    assert response.context["fuzzy"] is True
    assert _listed(response) == ["tosangana"]
    assert "Did you mean" in response.content.decode()


def test_known_words_that_find_nothing_together_offer_any_of_them_not_similar_names(client):
    """Words the directory knows that find nothing together are not together anywhere:
    names like them are not looked for (that is for misspelt names), and the page offers
    the same words joined by OR."""
    OrganisationFactory(slug="somali", name="Somali Youth Network")
    OrganisationFactory(slug="congolese", name="Congolese Women Platform")

    response = client.get(DIRECTORY, {"q": "somali platform"})
    html = response.content.decode()

    assert _listed(response) == []
    assert response.context["fuzzy"] is False
    assert "Did you mean" not in html
    assert "No organisations found" in html
    assert 'href="?q=somali+OR+platform"' in html
    assert "Search for any of these words: “somali OR platform”" in html

    either = client.get(DIRECTORY, {"q": "somali OR platform"})

    assert sorted(_listed(either)) == ["congolese", "somali"]


def test_an_unknown_word_that_finds_nothing_still_turns_to_similar_names(client):
    OrganisationFactory(slug="tosangana", name="Stichting Tosangana")

    response = client.get(DIRECTORY, {"q": "stichting tosangnaa", "as_typed": "1"})

    assert response.context["fuzzy"] is True
    assert _listed(response) == ["tosangana"]


def test_one_word_that_finds_nothing_offers_no_or_search(client):
    OrganisationFactory(slug="somali", name="Somali Youth Network")

    response = client.get(DIRECTORY, {"q": "somali", "kind": "government"})

    assert _listed(response) == []
    assert response.context["any_words"] == ""
    assert "Search for any of these words" not in response.content.decode()


def test_directory_htmx_request_gets_the_results_and_facets_only(client):
    OrganisationFactory(slug="ngo", kind="ngo")

    response = client.get(DIRECTORY, {"kind": "ngo"}, headers={"HX-Request": "true"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="directory-results"' in html
    assert 'id="directory-facets" class="facets" hx-swap-oob="true"' in html
    assert 'id="directory-status" hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]


def test_directory_page_works_without_javascript_as_a_get_form(client):
    response = client.get(DIRECTORY)
    html = response.content.decode()

    assert '<form class="directory-filters" method="get" action="/organisations/"' in html
    assert 'role="status" aria-live="polite"' in html
    assert html.count("<h1") == 1


def test_directory_links_to_the_exports_with_the_current_filters(client):
    response = client.get(DIRECTORY, {"kind": "ngo", "page": "1"})

    html = response.content.decode()
    assert 'href="/organisations/export.csv?kind=ngo"' in html
    assert 'href="/organisations/export.json?kind=ngo"' in html


def test_directory_caches_facet_counts_for_the_same_search(client, django_assert_num_queries):
    organisations = OrganisationFactory.create_batch(3)
    client.get(DIRECTORY, {"q": "peace"})

    # The live-search fragment of the same search is a page of its own, but it reuses the
    # counts and the cached result cards: not even the rows are read again.
    with django_assert_num_queries(0):
        response = client.get(DIRECTORY, {"q": "peace"}, headers={"HX-Request": "true"})

    assert response.context["total"] == 3
    html = response.content.decode()
    assert all(organisation.name in html for organisation in organisations)


def test_directory_reads_the_rows_when_only_the_counts_are_cached(
    client, django_assert_num_queries
):
    organisations = OrganisationFactory.create_batch(3)
    client.get(DIRECTORY, {"q": "peace"})

    # Another address of the same search (its order named) has cards of its own to render:
    # the counts and the page's ids are cached, only the rows are read.
    with django_assert_num_queries(1):
        response = client.get(DIRECTORY, {"q": "peace", "ordering": "relevance"})

    assert {row.pk for row in response.context["page_obj"]} == {o.pk for o in organisations}
    html = response.content.decode()
    assert all(organisation.name in html for organisation in organisations)


@pytest.mark.parametrize("count", [1, 30])
def test_directory_query_count_is_fixed(client, django_assert_num_queries, count):
    group = NetworkGroupFactory()
    for organisation in OrganisationFactory.create_batch(
        count, themes=["Gender", "Youth"], countries=["CD", "SO"]
    ):
        organisation.network_groups.add(group)

    # The facets' options (groups, themes, countries, cities), every facet's counts (kind,
    # group, theme, country, city, confirmation) in one query, and the page of results.
    with django_assert_num_queries(6):
        response = client.get(DIRECTORY)

    assert response.context["total"] == count


@pytest.mark.parametrize("count", [1, 30])
def test_directory_search_with_filters_query_count_is_fixed(
    client, django_assert_num_queries, count
):
    group = NetworkGroupFactory(slug="gender")
    for organisation in OrganisationFactory.create_batch(count, themes=["Gender"], kind="ngo"):
        organisation.network_groups.add(group)

    # The same, and the search's vocabulary (the organisations' words and the themes'),
    # read once per content generation: filters are checked against the facets' options.
    # On PostgreSQL, also how it reads the search's words and which of their readings some
    # document holds (the readings and the lexemes found kept in the process afterwards).
    with django_assert_num_queries(10 if connection.vendor == "postgresql" else 8):
        response = client.get(
            DIRECTORY, {"q": "peace", "kind": "ngo", "network_group": "gender", "theme": "gender"}
        )

    assert response.context["total"] == count


def test_directory_counts_only_published_organisations(client):
    OrganisationFactory(kind="ngo")
    OrganisationFactory(kind="ngo", status=Organisation.Status.PENDING)

    response = client.get(DIRECTORY)

    assert _option(response, "kinds", "ngo")["count"] == 1


def test_directory_cached_page_drops_an_organisation_unpublished_since(
    client, django_capture_on_commit_callbacks
):
    kept = OrganisationFactory(slug="kept")
    gone = OrganisationFactory(slug="gone")
    client.get(DIRECTORY)

    with django_capture_on_commit_callbacks(execute=True):  # committed
        gone.status = Organisation.Status.ARCHIVED
        gone.save()
        kept.name = "Renamed"
        kept.save()
    response = client.get(DIRECTORY)

    assert _listed(response) == ["kept"]
    assert "Renamed" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "summary"),
    [
        ({}, "Filters"),
        ({"q": "peace"}, "Filters"),  # the search box stays outside the panel
        ({"kind": "ngo"}, "Filters · 1 active"),
        ({"kind": "ngo", "theme": ["youth", "gender"], "q": "peace"}, "Filters · 3 active"),
    ],
)
def test_directory_filter_panel_says_how_many_filters_are_chosen(client, query, summary):
    OrganisationFactory(kind="ngo", themes=["youth", "gender"], summary="Peace work.")

    html = client.get(DIRECTORY, query).content.decode()

    assert f'<span id="filter-summary">{summary}</span>' in html
    assert '<details class="filter-panel">' in html  # folded until opened (on a phone)


def test_directory_htmx_update_brings_the_new_filter_count(client):
    response = client.get(DIRECTORY, {"kind": "ngo"}, headers={"HX-Request": "true"})

    assert '<span id="filter-summary" hx-swap-oob="true">Filters · 1 active</span>' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Government"), ("nl", "Overheid"), ("fr", "Pouvoirs publics"), ("ar", "جهة حكومية")],
)
def test_a_kind_is_named_in_the_readers_language(language, label):
    from django.utils import translation

    organisation = OrganisationFactory.build(kind=Organisation.Kind.GOVERNMENT)

    with translation.override(language):
        shown = organisation.get_kind_display()

    assert type(shown) is str  # Drawn on a profile's picture, which takes no lazy text.
    assert shown == label


def test_a_kind_that_is_no_choice_is_shown_as_stored():
    assert OrganisationFactory.build(kind="something-else").get_kind_display() == "something-else"


@pytest.mark.parametrize(
    ("language", "name"), [("en", "Somalia"), ("nl", "Somalië"), ("fr", "Somalie")]
)
def test_the_country_facet_names_countries_in_the_readers_language(client, language, name):
    from tests.languages import in_language

    OrganisationFactory(countries=["SO"])
    other = "nl" if language == "en" else "en"
    client.get(in_language(DIRECTORY, other))  # Another language first: its names kept apart.

    response = client.get(in_language(DIRECTORY, language))

    assert _option(response, "countries", "SO")["label"] == name
    assert f'<option value="SO">{name} (1)</option>' in response.content.decode()
