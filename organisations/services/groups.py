"""Facilitating a network group: posting its announcements and taking its member list.

Only the group's facilitators (and staff with staff powers) may; each step is recorded in
the admin history of what it touched, with who did it and when.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from peacenet.lib import history

from ..models import Announcement, NetworkGroup


def _posting_organisation(group: NetworkGroup, user):
    may, organisation = group.posting_organisation_for(user)
    if not may:
        raise PermissionDenied(_("Only the facilitators of this group may do this."))
    return organisation


@transaction.atomic
def post_announcement(*, group: NetworkGroup, by, title: str, text: str, link: str = ""):
    """Post an announcement to ``group`` for the facilitator's organisation; it shows at once
    on the group's page and in its feed."""
    announcement = Announcement(
        group=group,
        title=title,
        text=text,
        link=link,
        organisation=_posting_organisation(group, by),
        posted_by=by,
    )
    announcement.full_clean()
    announcement.save()
    history.record(
        user=by,
        obj=announcement,
        message=_("Posted to %(group)s as a facilitator.") % {"group": group.name},
    )
    return announcement


@transaction.atomic
def export_group_members(*, group: NetworkGroup, by):
    """The group's member list for a facilitator to download; the export is recorded in the
    group's history, since it takes contact details off the site."""
    _posting_organisation(group, by)
    history.record(
        user=by,
        obj=group,
        message=_("Exported the member list as a facilitator."),
        flag=history.CHANGE,
    )
    return group.published_members()
