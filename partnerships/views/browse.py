"""The list of proposals with its facets, the Atom feed of open calls, and one partnership's
Atom feed of its deliverables and progress reports."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from peacenet.lib.caching import public_page

from ..filters import ProposalFilter
from ..models import (
    Participant,
    PartnershipProposal,
)
from ..news import partnership_news

PAGE_SIZE = 20


def _list_queryset(queryset):
    return (
        queryset.with_reporting()
        .select_related("network_group")
        .prefetch_related(
            "themes",
            Prefetch("participants", queryset=Participant.objects.select_related("organisation")),
        )
    )


@require_safe
@public_page(query=[*ProposalFilter.base_filters, "page"], same_for_members=True)
def proposal_list(request: HttpRequest) -> HttpResponse:
    public = PartnershipProposal.objects.public()
    proposal_filter = ProposalFilter(request.GET, queryset=public)
    proposals = _list_queryset(proposal_filter.qs.open_calls_first())
    # The list is the same for everyone who asks the same thing: the template shows it from
    # cached fragments, and the page and the facets are counted only to render them afresh.
    facets = SimpleLazyObject(proposal_filter.facets)
    context = {
        "filter": proposal_filter,
        "page_obj": SimpleLazyObject(
            lambda: Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
        ),
        "status_facets": SimpleLazyObject(lambda: facets["statuses"]),
        "group_facets": SimpleLazyObject(lambda: facets["groups"]),
        "theme_facets": SimpleLazyObject(lambda: facets["themes"]),
        "chosen_themes": request.GET.getlist("theme"),
    }
    if request.htmx:
        return render(request, "partnerships/list.html#results", context)
    return render(request, "partnerships/list.html", context)


class OpenCallsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("PeaceNet: open calls for partners")
    subtitle = gettext_lazy(
        "Partnership proposals that any published organisation may ask to join."
    )

    def link(self):
        return reverse("partnerships:list")

    def items(self):
        return (
            PartnershipProposal.objects.open_calls()
            .order_by("-created", "pk")
            .prefetch_related(
                Prefetch(
                    "participants", queryset=Participant.objects.select_related("organisation")
                )
            )[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        lead = item.lead_organisation
        return lead.public_name if lead else None

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated


open_calls_feed = OpenCallsFeed()


class PartnershipFeed(Feed):
    """One public partnership's news: progress reports and deliverables done or overdue."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(PartnershipProposal.objects.public(), slug=slug)

    def title(self, obj):
        return _("PeaceNet: %(title)s") % {"title": obj.title}

    def subtitle(self, obj):
        return _("Progress reports and deliverables of this partnership.")

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return partnership_news(obj)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.at


proposal_feed = PartnershipFeed()
