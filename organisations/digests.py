"""What organisations tell people's digests (``peacenet.lib.digests``): new organisations
matching a followed directory search, changes to followed organisations, and the
announcements facilitators post to followed network groups."""

from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext as _

from peacenet.lib.digests import Item

from .filters import DirectoryFilter
from .models import Announcement, Organisation


def newly_published():
    """Published organisations, annotated with ``when_published``: when they were published
    (``Organisation.published_at``, or its creation for one never moderated), newest first."""
    return (
        Organisation.objects.published()
        .annotate(when_published=Coalesce("published_at", "created"))
        .order_by("-when_published", "pk")
    )


def matching(query, queryset):
    """``queryset`` narrowed by a saved search's query string; ``None`` when the query is no
    longer valid (a theme or group that has gone)."""
    filterset = DirectoryFilter(QueryDict(query), queryset=queryset)
    return filterset.qs.order_by("-when_published", "pk") if filterset.is_valid() else None


def matching_searches(follows, *, since, until):
    """New organisations matching each followed search (a query per search)."""
    new = newly_published().filter(when_published__gte=since, when_published__lt=until)
    seen, items = set(), []
    for search in follows.searches:
        found = matching(search.query, new)
        for organisation in found[:50] if found is not None else ():
            if organisation.pk not in seen:
                seen.add(organisation.pk)
                items.append(
                    Item(
                        title=organisation.name,
                        url=organisation.get_absolute_url(),
                        when=organisation.when_published,
                        about=organisation.summary,
                    )
                )
    return items


def followed_organisations(follows, *, since, until):
    """Followed organisations whose public profile changed (one query)."""
    if not follows.organisations:
        return []
    changed = Organisation.objects.published().filter(
        pk__in=follows.organisations, updated__gte=since, updated__lt=until
    )
    return [
        Item(
            title=organisation.name,
            url=organisation.get_absolute_url(),
            when=organisation.updated,
            about=_("Profile updated"),
        )
        for organisation in changed.order_by("-updated", "pk")
    ]


def group_announcements(follows, *, since, until):
    """Announcements posted to followed network groups in the window, hidden ones never (one
    query)."""
    if not follows.groups:
        return []
    announcements = (
        Announcement.objects.visible()
        .filter(group__in=follows.groups, created__gte=since, created__lt=until)
        .select_related("group")
        .order_by("-created", "pk")
    )
    return [
        Item(
            title=announcement.title,
            url=announcement.get_absolute_url(),
            when=announcement.created,
            about=announcement.group.name,
        )
        for announcement in announcements
    ]
