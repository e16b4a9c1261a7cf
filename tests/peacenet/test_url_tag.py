"""``{% url %}``: an address with no arguments is reversed once per language, script
prefix and URL settings; everything else as Django's own tag."""

from unittest import mock

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix
from django.utils import translation

from peacenet.lib import links


def _render(source, **context):
    return engines["django"].from_string(source).render(context)


@pytest.fixture(autouse=True)
def _nothing_kept():
    links._reversed.cache_clear()
    yield
    links._reversed.cache_clear()


def test_an_address_with_no_arguments_is_reversed_once_per_language():
    page = "{% url 'home' %} {% url 'organisations:directory' %}"
    with mock.patch.object(links, "reverse", wraps=links.reverse) as reversed_:
        for _ in range(3):
            with translation.override("en"):
                assert _render(page) == "/ /organisations/"
            with translation.override("nl"):
                assert _render(page) == "/nl/ /nl/organisations/"

    assert reversed_.call_count == 4  # two addresses in two languages


def test_an_address_with_arguments_is_reversed_each_time():
    with translation.override("en"):
        assert _render("{% url 'organisations:detail' slug=s %}", s="a") == "/organisations/a/"
        assert _render("{% url 'organisations:detail' s %}", s="b") == "/organisations/b/"


def test_the_script_prefix_is_part_of_the_key():
    with translation.override("en"):
        assert _render("{% url 'open_data' %}") == "/open-data/"
        set_script_prefix("/peacenet/")
        try:
            assert _render("{% url 'open_data' %}") == "/peacenet/open-data/"
        finally:
            clear_script_prefix()
        assert _render("{% url 'open_data' %}") == "/open-data/"


def test_as_a_variable_and_an_unknown_name():
    with translation.override("en"):
        assert _render("{% url 'open_data' as a %}<{{ a }}>") == "</open-data/>"
        assert _render("{% url 'no-such-page' as a %}<{{ a }}>") == "<>"
        with pytest.raises(NoReverseMatch):
            _render("{% url 'no-such-page' %}")


def test_other_url_settings_forget_what_was_kept():
    with translation.override("en"):
        assert _render("{% url 'open_data' %}") == "/open-data/"
        with (
            override_settings(ROOT_URLCONF="tests.peacenet.slug_urls"),
            pytest.raises(NoReverseMatch),
        ):
            _render("{% url 'open_data' %}")
        assert _render("{% url 'open_data' %}") == "/open-data/"
