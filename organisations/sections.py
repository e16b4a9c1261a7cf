"""The sections that the apps above fill on organisations' pages (``peacenet.lib.sections``).

``PROFILE`` sections are shown on an organisation's profile (``organisation`` in the
context), ``GROUP`` sections on a network group's page (``group``). ``FOLLOW`` holds the
controls to follow something, shown by ``{% follow_controls kind target %}`` on profiles,
network groups, partnerships and the directory (``follow_kind`` and ``follow_target`` in
their context).
"""

from django.db.models import prefetch_related_objects

from peacenet.lib.sections import Sections

PROFILE = Sections("organisation profile")
GROUP = Sections("network group")
FOLLOW = Sections("follow")


def prefetch_profile(organisation):
    """Read what an organisation's profile shows of its relations: its themes, network
    groups, offers and needs, and what the ``PROFILE`` sections read (a query each, once
    per instance). The profile asks for them only when it renders those parts afresh (they
    are cached fragments). Returns the organisation."""
    prefetch_related_objects(
        [organisation], "themes", "network_groups", "offers", "needs", *PROFILE.prefetch()
    )
    return organisation
