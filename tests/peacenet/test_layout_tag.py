"""``{% layout %}``: the parts of the layout that are the same for everyone are rendered once
per language, script prefix, URLconf and the values given, and forgotten when a setting or a
file changes; a part may hold nothing that is a page's or a visitor's own."""

import re
from pathlib import Path

import pytest
from django.template import TemplateSyntaxError, engines
from django.test import override_settings
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation
from django.utils.autoreload import file_changed

from peacenet.templatetags import layout


class Counter:
    """A value that counts how often a template reads it."""

    def __init__(self):
        self.reads = 0

    def __str__(self):
        self.reads += 1
        return "read"


@pytest.fixture(autouse=True)
def _nothing_kept():
    layout.forget_parts()
    yield
    layout.forget_parts()


def _template(source):
    return engines["django"].from_string("{% load i18n layout %}" + source)


def test_a_part_is_rendered_once_per_language():
    page = _template('{% layout "nav" %}{{ counter }} {% url "events:list" %}{% endlayout %}')
    counter = Counter()
    for _ in range(3):
        with translation.override("en"):
            assert page.render({"counter": counter}) == "read /events/"
        with translation.override("nl"):
            assert page.render({"counter": counter}) == "read /nl/events/"
    assert counter.reads == 2


def test_the_values_given_are_part_of_the_key():
    page = _template('{% layout "nav" current %}{{ counter }}:{{ current }}{% endlayout %}')
    counter = Counter()
    with translation.override("en"):
        assert page.render({"counter": counter, "current": "a"}) == "read:a"
        assert page.render({"counter": counter, "current": "b"}) == "read:b"
        assert page.render({"counter": counter, "current": "a"}) == "read:a"
    assert counter.reads == 2


def test_each_part_is_kept_on_its_own():
    page = _template(
        '{% layout "one" %}1{{ c }}{% endlayout %}{% layout "two" %}2{{ c }}{% endlayout %}'
    )
    with translation.override("en"):
        assert page.render({"c": "x"}) == "1x2x"
        assert page.render({"c": "y"}) == "1x2x"


def test_the_script_prefix_is_part_of_the_key():
    page = _template('{% layout "links" %}{% url "open_data" %}{% endlayout %}')
    with translation.override("en"):
        assert page.render({}) == "/open-data/"
        set_script_prefix("/peacenet/")
        try:
            assert page.render({}) == "/peacenet/open-data/"
        finally:
            clear_script_prefix()
        assert page.render({}) == "/open-data/"


def test_a_change_of_settings_or_of_a_file_forgets_the_parts():
    page = _template('{% layout "nav" %}{{ counter }}{% endlayout %}')
    counter = Counter()
    with translation.override("en"):
        page.render({"counter": counter})
        with override_settings(SITE_URL="https://elsewhere.example"):
            page.render({"counter": counter})
        page.render({"counter": counter})
        assert counter.reads == 3  # once, once inside the override, once after it
        file_changed.send(sender=None, file_path=Path("/somewhere/else.txt"))
        page.render({"counter": counter})
    assert counter.reads == 4


def test_a_part_that_is_full_starts_again():
    page = _template('{% layout "nav" value %}{{ value }}{% endlayout %}')
    with translation.override("en"):
        for value in range(layout.MAX_PARTS + 5):
            assert page.render({"value": value}) == str(value)
    assert len(layout._parts) <= layout.MAX_PARTS


@pytest.mark.parametrize(
    "inside",
    [
        "{% block title %}{% endblock %}",
        "{% csrf_token %}",
        "{% if 1 %}{% csrf_token %}{% endif %}",
    ],
)
def test_a_part_may_hold_no_block_and_no_csrf_token(inside):
    with pytest.raises(TemplateSyntaxError, match="the same for everyone"):
        _template('{% layout "nav" %}' + inside + "{% endlayout %}")


def test_a_layout_needs_a_name():
    with pytest.raises(TemplateSyntaxError, match="needs a name"):
        _template("{% layout %}{% endlayout %}")


def _current(html):
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


@pytest.mark.django_db
def test_the_navigation_marks_each_page_in_each_language(client):
    assert _current(client.get("/organisations/").text) == ["/organisations/"]
    assert _current(client.get("/events/").text) == ["/events/"]
    assert _current(client.get("/nl/events/").text) == ["/nl/events/"]
    assert _current(client.get("/nl/organisations/").text) == ["/nl/organisations/"]
    assert _current(client.get("/").text) == []
    english, dutch = client.get("/").text, client.get("/nl/").text
    assert 'lang="en" selected' in english
    assert 'lang="nl" selected' not in english
    assert 'lang="nl" selected' in dutch
    assert 'lang="en" selected' not in dutch
    for text in ("Skip to main content", "Accessibility statement"):
        assert text in english
    for text in ("Direct naar de inhoud", "Toegankelijkheidsverklaring"):
        assert text in dutch
