"""The directory against the real demo data: what the issue's "done when" promises."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from organisations.models import Organisation

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")


def _slugs(queryset):
    return list(queryset.order_by("-rank", "name").values_list("slug", flat=True))


def _listed(response):
    """The profile slugs listed on a directory page, in order."""
    html = response.content.decode()
    results = html[html.index('id="directory-results"') :]
    return re.findall(r'<h3 class="card-title"><a href="/organisations/([^/]+)/">', results)


def test_search_diaspora_policy_finds_adpc_first(demo):
    found = _slugs(Organisation.objects.published().search("diaspora policy"))

    assert found[0] == "adpc"


def test_search_gender_platform_finds_wo_men_first(demo):
    found = _slugs(Organisation.objects.published().search("gender platform"))

    assert found[0] == "wo-men"


def test_search_vrouwen_finds_womens_organisations_by_their_dutch_names(demo):
    found = set(_slugs(Organisation.objects.published().search("vrouwen")))

    assert {"pvdv", "ssvnl"} <= found
    assert "icct" not in found


def test_search_women_finds_them_through_english_text(demo):
    found = set(_slugs(Organisation.objects.published().search("women")))

    assert {"bwpd", "mwpn", "new-women-connectors"} <= found


def test_similar_names_finds_an_organisation_despite_typos(demo):
    found = _slugs(Organisation.objects.published().similar_names("tosangna"))

    assert found[0] == "tosangana"


@pytest.mark.postgres
def test_similar_names_gendr_platfrom_finds_wo_men_on_postgresql(demo):
    found = _slugs(Organisation.objects.published().similar_names("gendr platfrom"))

    assert found[0] == "wo-men"


@pytest.mark.postgres
def test_search_uses_the_gin_index_on_postgresql(demo):
    queryset = Organisation.objects.search("gender platform")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("RESET enable_seqscan")

    assert "organisation_search_document_idx" in plan


@pytest.mark.postgres
def test_similar_names_uses_the_trigram_index_on_postgresql(demo):
    queryset = Organisation.objects.similar_names("gendr platfrom")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("RESET enable_seqscan")

    assert "organisation_name_trgm_idx" in plan


def test_directory_search_diaspora_policy_lists_adpc_first(client, demo):
    response = client.get(DIRECTORY, {"q": "diaspora policy"})

    assert response.status_code == 200
    assert _listed(response)[0] == "adpc"


def test_directory_search_gender_platform_lists_wo_men_first(client, demo):
    response = client.get(DIRECTORY, {"q": "gender platform"})

    assert _listed(response)[0] == "wo-men"


def test_directory_typo_gendr_platfrom_lists_wo_men_and_says_what_was_searched(client, demo):
    response = client.get(DIRECTORY, {"q": "gendr platfrom"})

    assert _listed(response)[0] == "wo-men"
    assert response.context["corrected"] == "gender platform"
    html = response.content.decode()
    assert "Showing results for “gender platform”." in html
    assert 'href="?q=gendr+platfrom&amp;as_typed=1"' in html


@pytest.mark.postgres
def test_directory_typo_as_typed_turns_to_similar_names_with_did_you_mean(client, demo):
    response = client.get(DIRECTORY, {"q": "gendr platfrom", "as_typed": "1"})

    assert _listed(response)[0] == "wo-men"
    assert response.context["fuzzy"] is True
    assert response.context["corrected"] == ""
    assert "Did you mean" in response.content.decode()


@pytest.mark.parametrize(("typo", "right"), [("human rihgts", "human rights")])
def test_directory_typo_finds_as_many_as_the_right_spelling(client, demo, typo, right):
    wrong = client.get(DIRECTORY, {"q": typo})
    correct = client.get(DIRECTORY, {"q": right})

    assert correct.context["total"] >= 10
    assert wrong.context["total"] == correct.context["total"]
    assert wrong.context["corrected"] == right


@pytest.mark.parametrize(
    ("either", "words"),
    [("vrouwen OR somali", ["vrouwen", "somali"]), ("peace OR justice", ["peace", "justice"])],
)
def test_search_or_finds_the_union(demo, either, words):
    published = Organisation.objects.published()
    each = [set(_slugs(published.search(word))) for word in words]

    found = set(_slugs(published.search(either)))

    assert found == each[0] | each[1]
    assert found != each[0]
    assert found != each[1]


@pytest.mark.parametrize(
    "quoted",
    ["\u201cwomen peace\u201d", "\u201ewomen peace\u201c", "\u2018women peace\u2019"],
)
def test_search_typographic_quotes_are_a_phrase(demo, quoted):
    published = Organisation.objects.published()

    assert _slugs(published.search(quoted)) == _slugs(published.search('"women peace"'))
    assert _slugs(published.search(quoted)) != _slugs(published.search("women peace"))


def test_directory_every_government_body_is_one_click_away(client, demo):
    front = client.get(DIRECTORY).content.decode()
    assert 'href="?kind=government"' in front

    response = client.get(DIRECTORY, {"kind": "government"})

    governments = Organisation.objects.published().filter(kind="government")
    assert sorted(_listed(response)) == sorted(governments.values_list("slug", flat=True))
    assert len(_listed(response)) == 3


def test_directory_every_organisation_on_dr_congo_is_one_click_away(client, demo):
    profile = client.get(reverse("organisations:detail", kwargs={"slug": "tosangana"}))
    assert 'href="/organisations/?country=CD"' in profile.content.decode()

    response = client.get(DIRECTORY, {"country": "CD"})

    assert sorted(_listed(response)) == ["ahrn", "tosangana"]


def test_directory_country_facet_offers_dr_congo_with_its_count(client, demo):
    response = client.get(DIRECTORY)

    countries = {
        option["value"]: option["count"] for option in response.context["facets"]["countries"]
    }
    assert countries["CD"] == 2


def test_demo_data_has_entries_confirmed_long_ago(client, demo):
    stale = client.get(DIRECTORY, {"confirmed": "stale"})

    assert {o.slug for o in stale.context["page_obj"]} == {"vond", "favon", "uvavin"}
    assert "Not confirmed since" in stale.content.decode()
    queue = Organisation.objects.published().unconfirmed_for(24)
    assert list(queue.values_list("slug", flat=True)) == ["uvavin"]
