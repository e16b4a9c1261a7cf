"""Fixed instants for tests whose outcome depends on the clock.

Such a test freezes the clock with time-machine instead of reading the wall clock::

    @frozen_clock
    def test_...(): ...

and states its dates relative to ``NOW`` or with ``at(...)``. The rest of the suite may run at
any moment: ``pytest --clock "2026-12-03 00:30"`` (see ``tests/conftest.py``) proves it.
"""

import datetime
import zoneinfo

import pytest

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(text):
    """The instant ``text`` (ISO 8601, e.g. ``"2026-06-10 14:00"``) in Amsterdam time."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=AMSTERDAM)


# A Wednesday afternoon in June, far from midnight, a clock change and the year's end.
NOW = at("2026-06-10 14:00")

frozen_clock = pytest.mark.time_machine(NOW, tick=False)
