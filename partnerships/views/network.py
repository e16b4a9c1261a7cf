"""Who works with whom: the partnership network as a picture and as a list."""

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from organisations.models import Organisation
from peacenet.lib.caching import normalised_query, public_page
from peacenet.lib.rendered import rendered_for_generation

from ..filters import NetworkFilter
from ..models import PartnershipProposal
from ..network import CACHE_SECONDS, network, node_shape


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


def _picture(query):
    """The filters, the picture and the list for ``query`` (normalised) as HTML; None when
    the filters are not valid."""
    network_filter = NetworkFilter(QueryDict(query), queryset=PartnershipProposal.objects.public())
    if not network_filter.is_valid():
        return None
    picture = network(network_filter.qs)
    for node in picture["nodes"]:
        node["title"] = ngettext(
            "%(name)s: %(count)d partnership",
            "%(name)s: %(count)d partnerships",
            node["partnerships"],
        ) % {"name": node["name"], "count": node["partnerships"]}
    context = {
        "form": network_filter.form,
        "picture": picture,
        "kinds": kind_legend(picture["nodes"]),
    }
    return str(render_to_string("partnerships/includes/network_picture.html", context))


@require_safe
# The filters' parameters: any other parameter is no new cache entry.
@public_page(query=NetworkFilter.base_filters, same_for_members=True)
def network_view(request: HttpRequest) -> HttpResponse:
    # The same for everyone who asks the same question: rendered once per content
    # generation, language and query, for signed-in members too.
    query = normalised_query(request.GET, NetworkFilter.base_filters)
    html = rendered_for_generation(
        "partnerships:network", query, lambda: _picture(query), CACHE_SECONDS
    )
    if html is None:
        network_filter = NetworkFilter(request.GET, queryset=PartnershipProposal.objects.public())
        network_filter.is_valid()
        context = {"filter": network_filter, "form": network_filter.form}
        return render(request, "partnerships/network.html", context, status=400)
    # Rendered by network_picture.html in _picture.
    return render(request, "partnerships/network.html", {"picture": mark_safe(html)})  # noqa: S308
