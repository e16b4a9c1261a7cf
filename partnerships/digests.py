"""What partnerships tell people's digests (``peacenet.lib.digests``): new open calls in
followed network groups, and the status changes, progress updates and deliverables (done or
overdue) of followed partnerships."""

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import get_language_bidi

from peacenet.lib.digests import Item

from .models import (
    Deliverable,
    PartnershipProposal,
    ProgressUpdate,
    ProposalStatus,
    StatusChange,
)
from .news import ONE_DAY, deliverable_entry, overdue_from


def status_arrow():
    """From one status to the next, in the direction the reader's language is written: the
    arrow points left in Arabic (plain text has no stylesheet to turn it round)."""
    return "←" if get_language_bidi() else "→"


def open_calls_in_groups(follows, *, since, until):
    """Open calls of a followed group that opened in the window (one query)."""
    if not follows.groups:
        return []
    opened = Q(
        status_changes__organisation__isnull=True,
        status_changes__to_status=ProposalStatus.OPEN,
        status_changes__at__gte=since,
        status_changes__at__lt=until,
    )
    calls = (
        PartnershipProposal.objects.open_calls()
        .filter(network_group__in=follows.groups)
        .annotate(opened=Max("status_changes__at", filter=opened))
        .filter(opened__isnull=False)
        .select_related("network_group")
        .order_by("-opened", "pk")
    )
    return [
        Item(
            title=call.title,
            url=call.get_absolute_url(),
            when=call.opened,
            about=call.network_group.name,
        )
        for call in calls
    ]


def _followed(follows):
    """The followed partnerships anyone may still see."""
    return PartnershipProposal.objects.public().filter(pk__in=follows.partnerships)


def status_changes(follows, *, since, until):
    """Each step of a followed, public partnership's status in the window (one query)."""
    if not follows.partnerships:
        return []
    changes = (
        StatusChange.objects.filter(
            proposal__in=_followed(follows),
            organisation__isnull=True,
            at__gte=since,
            at__lt=until,
        )
        .exclude(to_status=ProposalStatus.DRAFT)
        .select_related("proposal")
        .order_by("-at", "-pk")
    )
    return [
        Item(
            title=change.proposal.title,
            url=change.proposal.get_absolute_url(),
            when=change.at,
            about=f"{change.from_label} {status_arrow()} {change.to_label}"
            if change.from_status
            else change.to_label,
        )
        for change in changes
    ]


def progress_updates(follows, *, since, until):
    """Progress updates posted on a followed, public partnership in the window (one query)."""
    if not follows.partnerships:
        return []
    updates = (
        ProgressUpdate.objects.filter(
            proposal__in=_followed(follows),
            created__gte=since,
            created__lt=until,
        )
        .select_related("proposal")
        .order_by("-created", "-pk")
    )
    return [
        Item(
            title=update.proposal.title,
            url=update.proposal.get_absolute_url(),
            when=update.created,
            about=update.text if len(update.text) <= 200 else update.text[:199] + "…",
        )
        for update in updates
    ]


def deliverables(follows, *, since, until):
    """Deliverables of followed, public partnerships marked done in the window, or become
    overdue in it without being done by its end, worded as in the partnership's feed (two
    queries)."""
    if not follows.partnerships:
        return []
    followed = PartnershipProposal.objects.public().filter(pk__in=follows.partnerships)
    told = [
        (deliverable, Deliverable.State.DONE)
        for deliverable in Deliverable.objects.filter(
            proposal__in=followed, done_at__gte=since, done_at__lt=until
        ).select_related("proposal", "organisation")
    ]
    # Became overdue in the window: due the day before a day that starts in it.
    for deliverable in Deliverable.objects.filter(
        proposal__in=followed,
        due__gte=timezone.localdate(since) - 2 * ONE_DAY,
        due__lt=timezone.localdate(until),
    ).select_related("proposal", "organisation"):
        still_open = deliverable.done_at is None or deliverable.done_at >= until
        if since <= overdue_from(deliverable) < until and still_open:
            told.append((deliverable, Deliverable.State.OVERDUE))
    items = []
    for deliverable, state in told:
        entry = deliverable_entry(deliverable, state)
        items.append(
            Item(
                title=entry.title, url=entry.link, when=entry.at, about=deliverable.proposal.title
            )
        )
    return items
