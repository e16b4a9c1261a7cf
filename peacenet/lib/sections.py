"""Sections a page of a lower app shows for the apps above it, without knowing them.

The organisation profile and the network-group page belong to ``organisations``, which
imports no other app; an event's follow-ups belong to ``events``, which imports nothing of
``partnerships``. Each such page declares a ``Sections`` slot in its app; a higher app adds
its section there from its ``AppConfig.ready()`` with the template that renders it and the
lookups the page's view must prefetch for it. The page's view prefetches
``slot.prefetch()`` and its template renders ``slot`` in order::

    PROFILE.add(id="events", heading=_("Events"), order=20,
                template="events/includes/organisation_events.html")
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    id: str  # The HTML id of the section, also its place in the page's address (#events).
    template: str
    heading: str = ""  # Shown above the section by pages that give sections a heading.
    order: int = 0
    # Returns the lookups (names or ``Prefetch`` objects) to prefetch on the page's object.
    prefetch: Callable[[], Iterable] = field(default=tuple)


class Sections:
    """One page's slot for sections, filled by the apps above the page's own."""

    def __init__(self, name: str):
        self.name = name
        self._sections: dict[str, Section] = {}

    def add(self, **kwargs) -> Section:
        """Add a section (see ``Section``); adding one with the same id again replaces it."""
        section = Section(**kwargs)
        self._sections[section.id] = section
        return section

    def __iter__(self):
        return iter(sorted(self._sections.values(), key=lambda section: section.order))

    def __len__(self):
        return len(self._sections)

    def prefetch(self) -> list:
        """Every section's prefetch lookups, new objects for each call."""
        return [lookup for section in self for lookup in section.prefetch()]
