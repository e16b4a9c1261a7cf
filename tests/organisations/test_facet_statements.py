"""The facet counts' statement, compiled once per shape of search: a search of a known shape
gets exactly the statement and parameters the ORM would compile for it, and finds the same."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict

from organisations import facets
from organisations.filters import DirectoryFilter
from organisations.models import Confirmation
from tests.clock import NOW
from tests.factories import NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)

# Pairs of selections of one shape: the second is found with the statement of the first.
SAME_SHAPE = [
    ({}, {}),
    ({"ordering": "newest"}, {"ordering": "newest"}),
    ({"q": "peace"}, {"q": "youth"}),
    ({"q": "peace"}, {"q": "published"}),
    ({"q": "published"}, {"q": "peace"}),
    ({"q": "published", "kind": "ngo"}, {"q": "peace work", "kind": "diaspora"}),
    ({"q": "peace", "as_typed": "1"}, {"q": "gendr work", "as_typed": "1"}),
    ({"q": "peace OR football"}, {"q": "media OR youth"}),
    ({"q": "peace -football"}, {"q": "work -media"}),
    ({"q": "-football"}, {"q": "-peace"}),
    ({"q": '"human rights" work'}, {"q": "Brigades for Peace"}),
    ({"q": "Brigades for Peace"}, {"q": "Published"}),
    ({"kind": "ngo"}, {"kind": "diaspora"}),
    ({"network_group": "gender"}, {"network_group": "youth"}),
    ({"country": "SO"}, {"country": "CD"}),
    ({"city": "Delft"}, {"city": "Den Haag"}),
    ({"city": "the hague"}, {"city": "'s-Gravenhage"}),
    ({"confirmed": "recent"}, {"confirmed": "stale"}),
    ({"theme": ["youth"]}, {"theme": ["media"]}),
    ({"theme": ["youth", "media"]}, {"theme": ["media", "youth"]}),
    ({"theme": ["media", "youth"], "q": "work"}, {"theme": ["youth", "gender"], "q": "peace"}),
    (
        {"q": "peace", "kind": "ngo", "network_group": "gender", "country": "SO"},
        {"q": "published", "kind": "diaspora", "network_group": "youth", "country": "CD"},
    ),
    (
        {"q": "work", "city": "Delft", "confirmed": "stale", "theme": ["youth"]},
        {"q": "peace", "city": "Den Haag", "confirmed": "recent", "theme": ["media"]},
    ),
    ({"q": "peace", "ordering": "relevance"}, {"q": "work", "ordering": "relevance"}),
    ({"q": "peace", "ordering": "name"}, {"q": "youth", "ordering": "name"}),
    ({"q": "peace", "ordering": "newest"}, {"q": "published", "ordering": "newest"}),
    ({"kind": "ngo", "ordering": "newest"}, {"kind": "diaspora", "ordering": "newest"}),
]
PAGES = [None, (0, 4), (4, 4), (40, 4)]


def _filter(data):
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    filterset = DirectoryFilter(query)
    assert filterset.is_valid(), filterset.errors
    return filterset


@pytest.fixture
def directory():
    groups = [NetworkGroupFactory(slug="gender"), NetworkGroupFactory(slug="youth")]
    stale = Confirmation.stale_before(NOW.date())
    names = ["Brigades for Peace", "Published", "Youth Forum", "Media Lab"]
    for index in range(16):
        organisation = OrganisationFactory(
            name=names[index] if index < len(names) else f"Peace Organisation {index}",
            kind=["ngo", "diaspora"][index % 2],
            countries=[["SO"], ["CD", "SO"], []][index % 3],
            city=["Delft", "Den Haag", "The Hague"][index % 3],
            summary=["Peace work.", "Football for youth.", "Published media."][index % 3],
            themes=[["Youth"], ["Media", "Youth"], [], ["Gender"]][index % 4],
            # Around the day entries turn stale: some turn stale the day after ``NOW``.
            last_confirmed=stale + DAY * (index % 3 - 1),
        )
        organisation.network_groups.add(groups[index % 2])


@pytest.fixture
def compiled(monkeypatch):
    """How many statements ``count_facets`` compiled through the ORM, with no shape kept
    before."""
    monkeypatch.setattr(facets, "_shapes", {})
    calls = []
    compile_afresh = facets.compile_facet_statement

    def counted(*args, **kwargs):
        calls.append(args)
        return compile_afresh(*args, **kwargs)

    monkeypatch.setattr(facets, "compile_facet_statement", counted)
    return calls


def _typed(statement):
    return statement.sql, [(type(param), param) for param in statement.params]


def _fresh_counts(data, page):
    kept = dict(facets._shapes)
    facets._shapes.clear()
    try:
        return facets.count_facets(_filter(data), page=page)
    finally:
        facets._shapes.update(kept)


@pytest.mark.time_machine(NOW, tick=False)
@pytest.mark.parametrize(("first", "second"), SAME_SHAPE)
def test_a_search_of_a_known_shape_gets_the_statement_compiled_afresh(
    directory, compiled, first, second
):
    postgresql = connection.vendor == "postgresql"
    kept = postgresql or not (first.get("q") or second.get("q"))
    slotted = [_filter(data).statement_slots() for data in (first, second)]
    if kept:
        assert slotted[0][0] == slotted[1][0]
    else:  # A search on SQLite is matched term by term: its statement is compiled afresh.
        assert slotted == [None, None]
    for page in PAGES:
        facets._shapes.clear()
        facets.count_facets(_filter(first), page=page)
        # A shape is kept, unless a value that has no slot in it reads like another
        # parameter: "published", the status, when the statement has no exact name.
        collides = first.get("q", "").lower() == "published"
        assert len(facets._shapes) == (1 if kept else 0) or collides
        compiled.clear()

        statement = facets.facet_statement(_filter(second), page)

        assert len(compiled) == (0 if kept else 1) or collides
        afresh = facets._plain(facets.compile_facet_statement(_filter(second), page))
        assert _typed(statement) == _typed(afresh)
        counts = facets.count_facets(_filter(second), page=page)
        assert counts == _fresh_counts(second, page)
        assert counts["total"] == _filter(second).qs.count()


@pytest.mark.postgres
def test_a_search_for_a_word_that_is_also_a_constant_of_the_statement(directory, compiled):
    """The status of published organisations is a parameter too: a search for "published"
    puts its values in their own slots, not in every parameter that reads the same."""
    facets.count_facets(_filter({"q": "published", "kind": "ngo"}), page=(0, 4))
    assert len(facets._shapes) == 1

    statement = facets.facet_statement(_filter({"q": "peace", "kind": "ngo"}), (0, 4))

    assert len(compiled) == 1
    assert "published" in statement.params  # The status.
    assert "peace" in statement.params  # The exact name.
    assert "kind:ngo" in statement.params


@pytest.mark.parametrize("data", [{"confirmed": "stale", "kind": "ngo"}, {"q": "peace"}])
def test_each_day_compiles_its_own_statement(directory, compiled, data):
    """Entries turn stale with the calendar: the dates of a statement are the day's."""
    with time_machine.travel(NOW, tick=False):
        today = facets.count_facets(_filter(data), page=(0, 4))
        facets.count_facets(_filter(data), page=(0, 4))
        kept = len(facets._shapes)
        assert len(compiled) == (2 - kept)
    with time_machine.travel(NOW + DAY, tick=False):
        compiled.clear()
        tomorrow = facets.count_facets(_filter(data), page=(0, 4))
        assert len(compiled) == 1
        assert _typed(facets.facet_statement(_filter(data), (0, 4))) == _typed(
            facets._plain(facets.compile_facet_statement(_filter(data), (0, 4)))
        )
        assert tomorrow == _fresh_counts(data, (0, 4))
    assert today["confirmed"]["stale"] < tomorrow["confirmed"]["stale"]


@pytest.mark.parametrize(
    "wrong",
    [
        {"kind": "kind:diaspora"},  # Not what its slot holds.
        {"exact": "published"},  # No slot, and it reads like the status: a lost slot.
    ],
)
def test_a_shape_is_kept_only_when_its_slots_map_onto_its_values(directory, monkeypatch, wrong):
    monkeypatch.setattr(facets, "_shapes", {})
    filterset = _filter({"kind": "ngo"})
    shape, values = filterset.statement_slots()
    monkeypatch.setattr(DirectoryFilter, "statement_slots", lambda self: (shape, values | wrong))

    statement = facets.facet_statement(filterset)

    assert not facets._shapes
    afresh = facets._plain(facets.compile_facet_statement(_filter({"kind": "ngo"})))
    assert _typed(statement) == _typed(afresh)


def test_no_more_than_so_many_shapes_are_kept(directory, monkeypatch):
    monkeypatch.setattr(facets, "_shapes", {})
    monkeypatch.setattr(facets, "MAX_SHAPES", 2)

    for data in [{"kind": "ngo"}, {"country": "SO"}, {"city": "Delft"}]:
        facets.count_facets(_filter(data))

    assert len(facets._shapes) == 2
