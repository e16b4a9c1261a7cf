"""Who works with whom: the partnership network as a picture and as a list."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from organisations.models import Organisation
from peacenet.lib.caching import public_page

from ..filters import NetworkFilter
from ..models import PartnershipProposal
from ..network import network, node_shape


def kind_legend(nodes):
    """Each kind of organisation with the shape that stands for it and how many are shown."""
    return [
        {
            "kind": kind,
            "label": label,
            "d": node_shape(kind, 10, 10, 8),
            "count": sum(1 for node in nodes if node["kind"] == kind),
        }
        for kind, label in Organisation.Kind.choices
    ]


@require_safe
# The filters' parameters: any other parameter is no new cache entry.
@public_page(query=NetworkFilter.base_filters)
def network_view(request: HttpRequest) -> HttpResponse:
    network_filter = NetworkFilter(request.GET, queryset=PartnershipProposal.objects.public())
    context = {"filter": network_filter, "form": network_filter.form}
    if not network_filter.is_valid():
        return render(request, "partnerships/network.html", context, status=400)
    picture = network(network_filter.qs)
    for node in picture["nodes"]:
        node["title"] = ngettext(
            "%(name)s: %(count)d partnership",
            "%(name)s: %(count)d partnerships",
            node["partnerships"],
        ) % {"name": node["name"], "count": node["partnerships"]}
    context.update(picture=picture, kinds=kind_legend(picture["nodes"]))
    return render(request, "partnerships/network.html", context)
