"""What a person's digest tells them, gathered from every app without knowing the apps.

People follow organisations, network groups, partnerships and directory searches (the
``alerts`` app keeps those and sends the digests). ``manage.py send_digests`` hands each
person's follows (``Follows``, plain ids and queries) and the time window since their last
digest to every source registered here and mails what comes back, one section per source
that found something. Each app registers its sources in its ``AppConfig.ready()``::

    digests.SOURCES.add(
        id="open_calls",
        heading=_("New open calls"),
        order=20,
        items=open_calls_in_followed_groups,
    )

A source is a function ``items(follows, *, since, until)`` that returns ``Item``s that
happened in ``since <= when < until``. It tells only what anyone may see (the digest reaches
people of every organisation), reads a fixed number of queries whatever the follows, and
returns nothing when the follows name nothing it knows. Its heading is translated when the
digest is rendered, in the recipient's language.

This module is part of the leaf library: it imports no app.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class SavedSearch:
    """A directory search someone follows: its id and its filters as a normalised query
    string (``peacenet.lib.caching.normalised_query``), as ``/organisations/?<query>``."""

    id: int
    query: str


@dataclass(frozen=True)
class Follows:
    """What one person follows, by primary key (and saved searches by their query)."""

    organisations: frozenset[int] = frozenset()
    groups: frozenset[int] = frozenset()
    partnerships: frozenset[int] = frozenset()
    searches: tuple[SavedSearch, ...] = ()

    def __bool__(self):
        return bool(self.organisations or self.groups or self.partnerships or self.searches)


@dataclass(frozen=True)
class Item:
    """One thing that happened: a new open call, a status change, an announcement."""

    title: str
    url: str  # A path on the site (``get_absolute_url()``) or a full address.
    when: datetime.datetime
    kind: str = ""  # The source's id unless the source says otherwise.
    about: str = ""  # What followed thing it concerns, shown beside it ("Gender").


@dataclass(frozen=True)
class Source:
    id: str
    heading: str  # A lazy translation: the heading of the source's section in the digest.
    items: Callable[..., Iterable[Item]]
    order: int = 0


@dataclass(frozen=True)
class Section:
    """One source's part of one person's digest."""

    id: str
    heading: str
    items: list[Item] = field(default_factory=list)


class Sources:
    """The registry of digest sources, filled by the apps."""

    def __init__(self):
        self._sources: dict[str, Source] = {}

    def add(self, **kwargs) -> Source:
        """Register a source (see ``Source``); one with the same id again replaces it."""
        source = Source(**kwargs)
        self._sources[source.id] = source
        return source

    def __iter__(self):
        return iter(sorted(self._sources.values(), key=lambda source: source.order))

    def __len__(self):
        return len(self._sources)

    def collect(
        self, follows: Follows, *, since: datetime.datetime, until: datetime.datetime
    ) -> list[Section]:
        """Every source's items for ``follows`` in the window, newest first, one section per
        source that found something, in the sources' order. Nothing followed, nothing asked."""
        if not follows or since >= until:
            return []
        sections = []
        for source in self:
            items = [
                item if item.kind else replace(item, kind=source.id)
                for item in source.items(follows, since=since, until=until)
            ]
            if items:
                items.sort(key=lambda item: item.when, reverse=True)
                sections.append(Section(id=source.id, heading=source.heading, items=items))
        return sections


SOURCES = Sources()
