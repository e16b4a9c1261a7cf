"""What events tell people's digests (``peacenet.lib.digests``): new events in followed
network groups."""

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from peacenet.lib.digests import Item

from .models import Event


def events_in_groups(follows, *, since, until):
    """Published events of a followed group (tagged with it, or with a session of it) that
    were published in the window (one query): a submission staff publish later is news then."""
    if not follows.groups:
        return []
    events = (
        Event.objects.published()
        .filter(
            Q(network_groups__in=follows.groups) | Q(sessions__network_group__in=follows.groups)
        )
        .filter(published_at__gte=since, published_at__lt=until)
        .distinct()
        .order_by("-published_at", "pk")
    )
    return [
        Item(
            title=event.title,
            url=event.get_absolute_url(),
            when=event.published_at,
            about=date_format(timezone.localtime(event.start), "DATE_FORMAT"),
        )
        for event in events
    ]
