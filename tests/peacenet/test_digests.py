"""The digest-source registry: sources in order, items in their window, empty ones left out."""

import datetime

from peacenet.lib.digests import Follows, Item, SavedSearch, Sources

SINCE = datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)
UNTIL = datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC)


def _source(*items):
    return lambda follows, *, since, until: [i for i in items if since <= i.when < until]


def test_collect_gives_one_section_per_source_that_found_something_newest_first():
    sources = Sources()
    older = Item(title="Older", url="/a/", when=SINCE + datetime.timedelta(days=1))
    newer = Item(title="Newer", url="/b/", when=SINCE + datetime.timedelta(days=2))
    outside = Item(title="Before", url="/c/", when=SINCE - datetime.timedelta(days=1))
    sources.add(id="second", heading="Second", order=20, items=_source(older, newer, outside))
    sources.add(id="first", heading="First", order=10, items=_source(older))
    sources.add(id="empty", heading="Empty", order=5, items=_source(outside))

    sections = sources.collect(Follows(groups=frozenset({1})), since=SINCE, until=UNTIL)

    assert [section.id for section in sections] == ["first", "second"]
    assert [item.title for item in sections[1].items] == ["Newer", "Older"]
    assert {item.kind for item in sections[1].items} == {"second"}


def test_collect_asks_no_source_when_nothing_is_followed():
    asked = []
    sources = Sources()
    sources.add(id="any", heading="Any", items=lambda follows, **window: asked.append(1) or [])

    assert sources.collect(Follows(), since=SINCE, until=UNTIL) == []
    assert asked == []
    assert Follows(searches=(SavedSearch(id=1, query="kind=ngo"),))
