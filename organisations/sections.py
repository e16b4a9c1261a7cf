"""The sections that the apps above fill on organisations' pages (``peacenet.lib.sections``).

``PROFILE`` sections are shown on an organisation's profile (``organisation`` in the
context), ``GROUP`` sections on a network group's page (``group``).
"""

from peacenet.lib.sections import Sections

PROFILE = Sections("organisation profile")
GROUP = Sections("network group")
