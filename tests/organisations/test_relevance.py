"""Relevance on the real demo data: a query as a visitor would type it, and an organisation
that must be among the first three results. The same cases run on SQLite and (with
``scripts/with-postgres``) on PostgreSQL."""

import pytest

from organisations.models import Organisation

pytestmark = pytest.mark.django_db

CASES = [
    # Names and abbreviations.
    ("ICC", "icc"),
    ("International Criminal Court", "icc"),
    ("IOM", "iom-nl"),
    ("Clingendael", "clingendael"),
    ("Hivos", "hivos"),
    ("humanity hub", "humanity-hub"),
    ("PAX voor Vrede", "pax"),
    ("Peace Brigades", "pbi-nl"),
    ("Women Peacemakers", "mwpn"),
    # What organisations do.
    ("diaspora policy", "adpc"),
    ("gender platform", "wo-men"),
    ("counter-terrorism", "icct"),
    ("press freedom", "fpu"),
    ("impunity", "impunity-watch"),
    ("prevention of armed conflict", "gppac"),
    ("local governance", "hague-academy"),
    ("innovation of law", "hiil"),
    ("rule of law", "kpsrl"),
    ("foreign affairs", "mfa-nl"),
    ("municipality", "gemeente-den-haag"),
    ("Kinshasa", "tosangana"),
    ("Afghan refugees", "favon"),
    ("Syrian women", "ssvnl"),
    ("Darfur women", "vond"),
    ("Burundi women", "bwpd"),
    ("human rights africa", "ahrn"),
    # Dutch and French words for the same thing (the thesaurus).
    ("Den Haag", "gemeente-den-haag"),
    ("buitenlandse zaken", "mfa-nl"),
    ("terrorismebestrijding", "nctv"),
    ("persvrijheid", "fpu"),
    ("liberté de la presse", "fpu"),
    ("rechtsstaat", "kpsrl"),
    ("Syrische vrouwen", "ssvnl"),
    ("vluchtelingen", "von"),
    ("droits humains afrique", "ahrn"),
    # US spellings.
    ("organization for migration", "iom-nl"),
    ("counter-terrorism center", "icct"),
    # Typos in any word.
    ("human rihgts africa", "ahrn"),
    ("gendr platfrom", "wo-men"),
    ("clingendal", "clingendael"),
    ("diaspor polcy", "adpc"),
    # Operators and typographic quotes.
    ("\u201cpeace brigades\u201d", "pbi-nl"),
    ("\u2018criminal court\u2019", "icc"),
    ("women -syrian -darfur burundi", "bwpd"),
    ("kinshasa OR darfur", "tosangana"),
]


def _top(query, count=3):
    found = Organisation.objects.published().search(query).order_by("-rank", "name")
    return list(found.values_list("slug", flat=True)[:count])


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[query for query, _ in CASES])
def test_relevance_expected_organisation_in_the_top_three(demo, query, expected):
    assert expected in _top(query)


@pytest.mark.parametrize(
    ("query", "expected"), [("ICC", "icc"), ("IOM", "iom-nl"), ("wo=men", "wo-men")]
)
def test_relevance_an_exact_abbreviation_ranks_first(demo, query, expected):
    assert _top(query, 1) == [expected]


# A theme's name in Dutch or French (the vocabulary's translations) finds every organisation
# with that theme, as its English name does.
THEME_NAMES = [
    ("Jongeren", "youth"),
    ("jeunesse", "youth"),
    ("Mensenrechten", "human-rights"),
    ("droits humains", "human-rights"),
    ("Bemiddeling", "mediation"),
    ("Médiation", "mediation"),
    ("Radicalisering", "radicalisation"),
    ("Genre", "gender"),
]


@pytest.mark.parametrize(("query", "theme"), THEME_NAMES, ids=[query for query, _ in THEME_NAMES])
def test_relevance_a_dutch_or_french_theme_name_finds_its_organisations(demo, query, theme):
    themed = set(
        Organisation.objects.published().filter(themes__slug=theme).values_list("slug", flat=True)
    )
    found = set(Organisation.objects.published().search(query).values_list("slug", flat=True))

    assert themed
    assert themed <= found
