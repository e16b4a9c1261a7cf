"""Whatever arrives in the directory's query string: a 200 or a 400 with a clear message,
never a 500, never the input reflected unescaped."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")
PARAMETERS = ["q", "kind", "network_group", "theme", "country", "city", "ordering", "page"]
MARKUP = "<b>x</b>\"'><script>alert(1)</script>"


@pytest.fixture
def directory_data(db):
    group = NetworkGroupFactory(slug="gender")
    organisation = OrganisationFactory(themes=["Gender"], countries=["CD"])
    organisation.network_groups.add(group)


def _assert_safe(response):
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "<b>x</b>" not in html
    if response.status_code == 400:
        assert "The search could not be run" in html


@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(PARAMETERS),
            st.one_of(
                st.text(max_size=300),
                st.sampled_from(
                    [
                        MARKUP,
                        "\x00",
                        "a\x00b",
                        "' OR 1=1 --",
                        "'; DROP TABLE organisations_organisation; --",
                        "9" * 40,
                        "-1",
                        "0",
                        "1e9",
                        "gender",
                        "ngo",
                        "CD",
                        "relevance",
                        '"unclosed',
                        "!(&|:*)",
                    ]
                ),
            ),
        ),
        max_size=8,
    )
)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_directory_any_query_string_never_fails(client, directory_data, params):
    response = client.get(DIRECTORY + "?" + urlencode(params))

    _assert_safe(response)


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 5000},
        {"q": "peace\x00"},
        {"city": "Den\x00Haag"},
        {"kind": "spaceship"},
        {"network_group": "no-such-group"},
        {"network_group": "not a slug!"},
        {"country": "XX"},
        {"country": "¹²"},
        {"country": "12"},
        {"ordering": "-password"},
        {"theme": [f"theme-{n}" for n in range(300)]},
        {"theme": "not a slug!"},
    ],
)
def test_directory_invalid_input_answers_400_with_a_message(client, directory_data, query):
    response = client.get(DIRECTORY, query)

    assert response.status_code == 400
    assert "The search could not be run" in response.content.decode()


def test_directory_300_repeated_themes_count_once(client, directory_data):
    response = client.get(DIRECTORY + "?" + urlencode([("theme", "gender")] * 300))

    assert response.status_code == 200
    assert response.context["total"] == 1


@pytest.mark.parametrize(
    "page", ["abc", "0", "-3", "99999999999999999999", "1.5", "\x00", "¹", "٣"]
)
def test_directory_odd_page_shows_a_real_page(client, directory_data, page):
    response = client.get(DIRECTORY, {"page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    if page != "\x00":
        assert "That page does not exist; showing page 1." in response.content.decode()


def test_directory_reflects_the_search_escaped(client, directory_data):
    response = client.get(DIRECTORY, {"q": MARKUP})

    _assert_safe(response)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


def test_directory_error_message_reflects_input_escaped(client, directory_data):
    response = client.get(DIRECTORY, {"kind": MARKUP})

    _assert_safe(response)
    assert response.status_code == 400


@pytest.mark.parametrize("url_name", ["organisations:export_csv", "organisations:export_json"])
def test_export_bad_input_answers_400(client, directory_data, url_name):
    response = client.get(reverse(url_name), {"q": "x" * 5000, "theme": "\x00"})

    assert response.status_code == 400


@pytest.mark.postgres
@pytest.mark.django_db
def test_directory_search_of_only_punctuation_with_a_city_answers(client):
    OrganisationFactory(city="The Hague", countries=["NL"])

    response = client.get(DIRECTORY, {"q": ":", "city": "0"})

    assert response.status_code == 200


@pytest.mark.django_db
def test_directory_unknown_city_finds_nothing_and_suggests_the_nearest_cities(client):
    OrganisationFactory(city="Rotterdam")
    OrganisationFactory(city="The Hague")

    response = client.get(DIRECTORY, {"city": "Roterdam"})

    assert response.status_code == 200
    assert response.context["total"] == 0
    assert [s["label"] for s in response.context["suggestions"]] == ["Rotterdam"]
    assert 'href="?city=Rotterdam"' in response.content.decode()


@pytest.mark.django_db
def test_directory_city_like_none_suggests_every_city(client):
    OrganisationFactory(city="Rotterdam")
    OrganisationFactory(city="The Hague")

    response = client.get(DIRECTORY, {"city": "Xyzzy"})

    assert response.status_code == 200
    assert [s["label"] for s in response.context["suggestions"]] == ["Rotterdam", "The Hague"]


@pytest.mark.django_db
def test_directory_unknown_theme_finds_nothing_and_suggests_themes(client):
    OrganisationFactory(themes=["Gender", "Human rights"])

    response = client.get(DIRECTORY, {"theme": "human-rihgts"})

    assert response.status_code == 200
    assert response.context["total"] == 0
    assert [s["label"] for s in response.context["suggestions"]] == ["Human rights"]
    html = response.content.decode()
    assert 'href="?theme=human-rights"' in html
    assert "Themes: human-rihgts" in html  # The choice stays visible, and removable.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "total"),
    [
        (" OR ".join(f"w{n}" for n in range(28)), 0),  # As many ORs as 200 characters hold.
        ("the of and", 0),
        ('"" - OR OR -- ""', 2),  # No search at all.
        ("-justice", 1),
    ],
)
def test_directory_odd_searches_answer(client, q, total):
    OrganisationFactory(summary="Works for peace.")
    OrganisationFactory(summary="Works for justice.")

    response = client.get(DIRECTORY, {"q": q})

    assert response.status_code == 200
    assert response.context["total"] == total
