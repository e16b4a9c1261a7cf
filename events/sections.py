"""The sections that the apps above fill on events' pages (``peacenet.lib.sections``).

``FOLLOW_UP`` sections are shown under each follow-up of an event (``follow_up`` in the
context); their prefetch lookups apply to the follow-ups.
"""

from peacenet.lib.sections import Sections

FOLLOW_UP = Sections("event follow-up")
