"""/organisations/map/: the countries of focus of published organisations, as a world map
and a table, with the directory's filters; the counts are the database's."""

import html as html_lib
import re
from collections import Counter

import pytest
from django.conf import settings

from organisations.models import Organisation
from organisations.worldmap import shapes, step_label, step_of, steps
from tests.factories import NetworkGroupFactory, OrganisationFactory, UserFactory
from tests.languages import in_language

pytestmark = pytest.mark.django_db

MAP = "/organisations/map/"
LINKED_COUNTRY = re.compile(r'<a href="([^"]+)"><title>([^<]+)</title><path class="m(\d)')


@pytest.fixture
def focus():
    youth = NetworkGroupFactory(slug="youth")
    OrganisationFactory(kind="diaspora", countries=["SO", "CD"]).network_groups.add(youth)
    OrganisationFactory(kind="diaspora", countries=["SO"])
    OrganisationFactory(kind="ngo", countries=["SO", "UA", "SG"])
    OrganisationFactory(kind="ngo", countries=[])
    for status in ("pending", "rejected", "archived"):
        OrganisationFactory(kind="diaspora", countries=["AF", "SO"], status=status)


def linked_countries(page):
    """The countries the map links, as {name: (count in its title, link, step)}."""
    found = {}
    for url, title, step in LINKED_COUNTRY.findall(page):
        name, count = html_lib.unescape(title).rsplit(": ", 1)
        found[name] = (int(count.split()[0]), html_lib.unescape(url), int(step))
    return found


def expected_counts(**filters):
    counts = Counter()
    for organisation in Organisation.objects.filter(status="published", **filters):
        counts.update(country.name for country in organisation.countries)
    return dict(counts)


def test_the_map_counts_each_country_like_the_database(client, focus):
    page = client.get(MAP).content.decode()

    linked = linked_countries(page)
    # Singapore is too small for the 1:110m shapes: it is in the table, not on the map.
    assert {name: n for name, (n, _url, _step) in linked.items()} == {
        name: n for name, n in expected_counts().items() if name != "Singapore"
    }
    assert linked["Somalia"][1] == "/organisations/?country=SO"
    assert "Afghanistan: no organisations" in page  # only unpublished ones focus on it
    legend = page.split('class="map-legend"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"</svg> ([^<]+)</li>", legend) == [
        "no organisations",
        "1 organisation",
        "2 organisations",
        "3 organisations",
    ]
    rows = re.findall(r'<tr><th><a href="[^"]+">([^<]+)</a></th><td>(\d+)', page)
    assert {html_lib.unescape(name): int(n) for name, n in rows} == expected_counts()
    published = Organisation.objects.filter(status="published").count()
    assert f"The countries of focus of {published} organisations in the directory." in page


def test_the_map_follows_the_directorys_filters(client, focus):
    page = client.get(MAP, {"kind": "diaspora"}).content.decode()

    linked = linked_countries(page)
    assert {name: n for name, (n, _url, _step) in linked.items()} == expected_counts(
        kind="diaspora"
    )
    assert linked["Somalia"][1] == "/organisations/?kind=diaspora&country=SO"
    grouped = linked_countries(client.get(MAP, {"network_group": "youth"}).content.decode())
    assert {name: n for name, (n, _url, _step) in grouped.items()} == {
        "Somalia": 1,
        "Democratic Republic of the Congo": 1,
    }


def test_the_busiest_country_is_in_the_darkest_step(client, focus):
    linked = linked_countries(client.get(MAP).content.decode())

    assert linked["Somalia"][2] > linked["Ukraine"][2] > 0


def test_the_table_sorts_by_name_or_by_count_without_javascript(client, focus):
    OrganisationFactory(countries=["UA"])
    by_name = client.get(MAP).content.decode()
    by_count = client.get(MAP, {"sort": "count"}).content.decode()

    def names(page):
        return re.findall(r'<tr><th><a href="[^"]+">([^<]+)</a>', page)

    assert names(by_name) == sorted(names(by_name))
    assert names(by_count)[:2] == ["Somalia", "Ukraine"]
    assert 'aria-sort="descending"' in by_count
    assert 'href="?sort=count"' in by_name


def test_the_directory_links_its_results_to_the_map(client, focus):
    page = client.get("/organisations/", {"kind": "ngo", "page": "1"}).content.decode()

    assert 'href="/organisations/map/?kind=ngo"' in page


def test_bad_filters_get_a_message_not_a_map(client):
    response = client.get(MAP, {"kind": "pirates"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "nl", "fr", "ar"])
def test_the_page_stays_small_when_every_country_counts(client, language):
    codes = [shape["code"] for shape in shapes()["countries"] if shape["code"]]
    for index in range(5):
        OrganisationFactory(countries=codes[index::2])
    client.force_login(UserFactory())  # a member's page: the layout with their menu

    response = client.get(in_language(MAP, language), {"theme": []})

    assert len(linked_countries(response.content.decode())) == len(codes)
    assert len(response.content) < 60_000


def test_the_map_speaks_dutch(client, focus):
    page = client.get(in_language(MAP, "nl")).content.decode()

    assert "Somalië: 3 organisaties" in html_lib.unescape(page)


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", ["Kosovo", "Northern Cyprus", "Somaliland"]),
        ("nl", ["Kosovo", "Noord-Cyprus", "Somaliland"]),
        ("ar", ["كوسوفو", "شمال قبرص", "أرض الصومال"]),
    ],
)
def test_shapes_outside_the_country_list_are_named_in_the_readers_language(
    client, language, names
):
    page = html_lib.unescape(client.get(in_language(MAP, language)).content.decode())

    titles = re.findall(r"<title>([^<:]+): [^<]+</title></path>", page)
    for name in names:
        assert name in titles


def test_the_legend_names_ranges_in_words():
    assert [step_label(*step) for step in steps(100)] == [
        "1 to 3 organisations",
        "4 to 10 organisations",
        "11 to 32 organisations",
        "33 to 100 organisations",
    ]


def test_steps_cover_every_count_once():
    for highest in (1, 3, 4, 5, 17, 100, 12345):
        ranges = steps(highest)
        covered = (
            [n for low, high in ranges for n in range(low, high + 1)] if highest < 200 else []
        )
        if covered:
            assert covered == list(range(1, highest + 1))
        assert ranges[0][0] == 1
        assert ranges[-1][1] == highest
        assert len(ranges) <= 4
    assert steps(0) == []
    assert step_of(0, steps(10)) == 0
    assert step_of(10, steps(10)) == len(steps(10))


def test_every_shape_has_a_country_code():
    unnamed = [shape["name"] for shape in shapes()["countries"] if not shape["code"]]

    assert unnamed == ["N. Cyprus", "Somaliland"]  # not countries in ISO 3166


def test_the_legends_steps_differ_by_pattern_not_by_colour_alone(client, focus):
    page = client.get(MAP).content.decode()
    stylesheet = (settings.BASE_DIR / "static" / "css" / "peacenet.css").read_text()

    fills = [re.search(rf"\.m{step} {{ fill: ([^;]+);", stylesheet).group(1) for step in range(5)]
    # No organisations and the busiest step are plain (lightest and darkest); the three
    # between are dots, hatching and cross-hatching drawn in the page's own SVG.
    patterns = [fill.removeprefix("url(#").removesuffix(")") for fill in fills[1:4]]
    assert len(set(patterns)) == 3
    for pattern in patterns:
        assert f'<pattern id="{pattern}"' in page
    assert fills[0].startswith("#")
    assert fills[4].startswith("#")
