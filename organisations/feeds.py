from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .digests import matching, newly_published
from .filters import search_query
from .models import NetworkGroup

FEED_SIZE = 50


class NewOrganisationsFeed(Feed):
    """Atom feed of the newest published organisations matching the directory's filters
    (the same query string as ``/organisations/``): a followed search, for feed readers."""

    feed_type = Atom1Feed
    title = _("PeaceNet: new organisations")
    subtitle = _(
        "Organisations newly listed in the directory of peace organisations in The Hague."
    )

    def get_object(self, request):
        query = search_query(request.GET)
        found = matching(query, newly_published())
        if found is None:
            raise Http404(_("These filters are not valid."))
        return query, found

    def link(self, obj):
        query, _found = obj
        return reverse("organisations:directory") + (f"?{query}" if query else "")

    def items(self, obj):
        _query, found = obj
        return found[:FEED_SIZE]

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.when_published

    def item_updateddate(self, item):
        return item.updated


GROUP_FEED_SIZE = 30


class GroupAnnouncementsFeed(Feed):
    """Atom feed of a network group's announcements, newest first (hidden ones never)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(NetworkGroup, slug=slug)

    def title(self, group):
        return _("PeaceNet: %(group)s announcements") % {"group": group.name}

    def subtitle(self, group):
        return group.tagline

    def link(self, group):
        return group.get_absolute_url()

    def items(self, group):
        return group.announcements.visible().select_related("group", "organisation")[
            :GROUP_FEED_SIZE
        ]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created

    def item_author_name(self, item):
        return item.organisation.public_name if item.organisation else None
