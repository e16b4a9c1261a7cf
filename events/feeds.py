from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Event


class UpcomingEventsFeed(Feed):
    """Atom feed of upcoming published events, soonest first."""

    feed_type = Atom1Feed
    title = _("PeaceNet: upcoming events")
    subtitle = _("Seminars, workshops and network meetings of peace organisations in The Hague.")
    link = reverse_lazy("events:list")

    def items(self):
        return Event.objects.published().upcoming().select_related("organiser")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        when = date_format(timezone.localtime(item.start), "DATETIME_FORMAT")
        place = ", ".join(part for part in (item.venue, item.city) if part)
        return " · ".join(part for part in (when, place, item.summary) if part)

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        return item.organiser.public_name if item.organiser else None
