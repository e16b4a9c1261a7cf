"""``slug_address``: a page's address for a slug, the same as ``reverse`` gives, with the
address around the slug reversed once per language, script prefix and URL settings."""

from unittest import mock

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from peacenet.lib import links
from peacenet.lib.slugs import slug_address

VIEWS = ["organisations:detail", "organisations:network_group", "events:detail"]


@pytest.fixture(autouse=True)
def _nothing_kept():
    links._reversed.cache_clear()
    yield
    links._reversed.cache_clear()


@pytest.mark.parametrize("language", ["en", "nl", "fr", "ar"])
@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize("slug", ["alpha", "somali-youth-forum", "a_b", "x1", "--slug--x"])
def test_the_same_address_as_reverse(language, view_name, slug):
    with translation.override(language):
        assert slug_address(view_name, slug) == reverse(view_name, kwargs={"slug": slug})


def test_the_address_around_the_slug_is_reversed_once_per_language():
    with mock.patch.object(links, "reverse", wraps=links.reverse) as reversed_:
        for slug in ("a", "b", "c"):
            with translation.override("en"):
                assert slug_address("organisations:detail", slug) == f"/organisations/{slug}/"
            with translation.override("nl"):
                assert slug_address("organisations:detail", slug) == f"/nl/organisations/{slug}/"

    assert reversed_.call_count == 2


def test_the_script_prefix_is_part_of_the_key():
    with translation.override("en"):
        assert slug_address("organisations:detail", "a") == "/organisations/a/"
        set_script_prefix("/peacenet/")
        try:
            assert slug_address("organisations:detail", "a") == "/peacenet/organisations/a/"
        finally:
            clear_script_prefix()
        assert slug_address("organisations:detail", "a") == "/organisations/a/"


def test_a_slug_the_converter_would_not_take_goes_through_reverse():
    with translation.override("en"), pytest.raises(NoReverseMatch):
        slug_address("organisations:detail", "not a slug")
    with translation.override("en"), pytest.raises(NoReverseMatch):
        slug_address("organisations:detail", "")


def test_a_change_of_the_url_settings_forgets_the_addresses():
    with translation.override("en"):
        slug_address("organisations:detail", "a")
        assert links._reversed.cache_info().currsize == 1
        with override_settings(FORCE_SCRIPT_NAME="/elsewhere/"):
            assert links._reversed.cache_info().currsize == 0
