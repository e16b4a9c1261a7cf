"""The world map of countries of focus (``/organisations/map/``).

The shapes are Natural Earth's countries, projected and simplified once by
``scripts/build_world_map.py`` into ``world_map.json`` (one SVG path per country, keyed by
its ISO 3166 code). Here they get what changes: how many organisations focus on each country,
the step of the legend that count falls in, a title and a link into the directory.
"""

import functools
import json
from pathlib import Path

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django_countries import countries

SHAPES = Path(__file__).with_name("world_map.json")
STEP_COUNT = 4
# Shapes of Natural Earth that are not in PeaceNet's list of countries (no organisation can
# name them, so they never count): their names in the reader's language, for their titles.
SHAPE_NAMES = {
    "Kosovo": gettext_lazy("Kosovo"),
    "N. Cyprus": gettext_lazy("Northern Cyprus"),
    "Somaliland": gettext_lazy("Somaliland"),
}


@functools.cache
def shapes():
    """The projected country shapes: ``width``, ``height`` and ``countries`` (code, name, d)."""
    return json.loads(SHAPES.read_text())


def steps(highest, count=STEP_COUNT):
    """The legend's steps as ``(low, high)`` ranges covering 1 … ``highest``: one per number
    while there are few, else growing geometrically (1, 2-4, 5-19, 20-100 for 100), so a few
    very large countries do not wash out the rest."""
    if highest <= 0:
        return []
    if highest <= count:
        return [(n, n) for n in range(1, highest + 1)]
    bounds = []
    for index in range(1, count + 1):
        top = round(highest ** (index / count))
        bounds.append(max(top, (bounds[-1] + 1) if bounds else 1))
    bounds[-1] = highest
    ranges, low = [], 1
    for top in bounds:
        if top >= low:
            ranges.append((low, top))
            low = top + 1
    return ranges


def step_of(value, ranges):
    """The 1-based step ``value`` falls in, 0 for none."""
    for index, (low, high) in enumerate(ranges, start=1):
        if low <= value <= high:
            return index
    return 0


def step_label(low, high):
    """What a step of the legend stands for: "1 organisation", "5 to 19 organisations"."""
    if low == high:
        return ngettext("%(count)d organisation", "%(count)d organisations", low) % {"count": low}
    return _("%(low)d to %(high)d organisations") % {"low": low, "high": high}


def organisations_label(name, count):
    if not count:
        return _("%(country)s: no organisations") % {"country": name}
    return ngettext(
        "%(country)s: %(count)d organisation",
        "%(country)s: %(count)d organisations",
        count,
    ) % {"country": name, "count": count}


def country_names():
    """Every country's name in the current language, by code: one pass over django-countries'
    list per language, kept in the process (the names do not change while it runs), instead
    of asking it for each country of the map or the directory's facet. Read it, never change
    it."""
    return _country_names(get_language())


@functools.cache
def _country_names(language):
    return dict(countries)


def world_map(counts, link, chosen="", names=None):
    """The map for ``counts`` (organisations per country code): every country with its name
    in the current language, count, step, title and, when it counts any, ``link(code)``."""
    data = shapes()
    names = country_names() if names is None else names
    counts = {code: n for code, n in counts.items() if code and n}
    ranges = steps(max(counts.values(), default=0))
    shown = []
    for shape in data["countries"]:
        code = shape["code"]
        name = names.get(code, "") or str(SHAPE_NAMES.get(shape["name"], shape["name"]))
        count = counts.get(code, 0)
        shown.append(
            {
                "code": code,
                "name": name,
                "count": count,
                "step": step_of(count, ranges),
                "title": organisations_label(name, count),
                "url": link(code) if count else "",
                "chosen": code == chosen,
                "d": shape["d"],
            }
        )
    return {
        "width": data["width"],
        "height": data["height"],
        "countries": shown,
        "legend": [
            {"step": index, "label": step_label(low, high)}
            for index, (low, high) in enumerate(ranges, start=1)
        ],
    }
