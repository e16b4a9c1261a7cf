"""The sections that the apps above fill on organisations' pages (``peacenet.lib.sections``).

``PROFILE`` sections are shown on an organisation's profile (``organisation`` in the
context), ``GROUP`` sections on a network group's page (``group``). ``FOLLOW`` holds the
controls to follow something, shown by ``{% follow_controls kind target %}`` on profiles,
network groups, partnerships and the directory (``follow_kind`` and ``follow_target`` in
their context).
"""

from peacenet.lib.sections import Sections

PROFILE = Sections("organisation profile")
GROUP = Sections("network group")
FOLLOW = Sections("follow")
