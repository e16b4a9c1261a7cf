"""The list of proposals with its facets, and the Atom feed of open calls."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from taggit.models import Tag

from organisations.models import NetworkGroup

from ..filters import ProposalFilter
from ..models import (
    Participant,
    PartnershipProposal,
    ProposalStatus,
)

PAGE_SIZE = 20


def _list_queryset(queryset):
    return queryset.select_related("network_group").prefetch_related(
        "themes",
        Prefetch("participants", queryset=Participant.objects.select_related("organisation")),
    )


def _without(query, name):
    query = query.copy()
    query.pop(name, None)
    return query


@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    public = PartnershipProposal.objects.public()
    proposal_filter = ProposalFilter(request.GET, queryset=public)
    proposals = _list_queryset(proposal_filter.qs.open_calls_first())
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))

    # Facet counts: each facet counted over the other filters' result.
    without_status = ProposalFilter(_without(request.GET, "status"), queryset=public).qs
    without_status = without_status.order_by()
    status_counts = dict(
        without_status.values_list("status").annotate(total=Count("pk", distinct=True))
    )
    without_group = ProposalFilter(_without(request.GET, "network_group"), queryset=public).qs
    without_group = without_group.order_by()
    group_counts = dict(
        without_group.values_list("network_group").annotate(total=Count("pk", distinct=True))
    )
    status_facets = [
        {"value": value, "label": label, "count": status_counts.get(value, 0)}
        for value, label in ProposalStatus.choices
        if value != ProposalStatus.DRAFT
    ]
    group_facets = [
        {"group": group, "count": group_counts.get(group.pk, 0)}
        for group in NetworkGroup.objects.all()
    ]
    without_theme = ProposalFilter(_without(request.GET, "theme"), queryset=public).qs
    items = "taggit_taggeditem_items"
    theme_facets = (
        Tag.objects.filter(
            **{
                f"{items}__content_type__app_label": PartnershipProposal._meta.app_label,
                f"{items}__content_type__model": PartnershipProposal._meta.model_name,
                # Themes of public proposals only: a draft's or hidden one's are not shown.
                f"{items}__object_id__in": public.order_by().values("pk"),
            }
        )
        .annotate(
            count=Count(
                items,
                filter=Q(**{f"{items}__object_id__in": without_theme.order_by().values("pk")}),
            )
        )
        .order_by("name")
    )
    context = {
        "filter": proposal_filter,
        "page_obj": page,
        "status_facets": status_facets,
        "group_facets": group_facets,
        "theme_facets": theme_facets,
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
