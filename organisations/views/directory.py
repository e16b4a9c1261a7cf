from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import NetworkGroup, Organisation

PAGE_SIZE = 20


def get_organisation_for_viewing(request: HttpRequest, slug: str) -> Organisation:
    """The organisation with this slug if the user may see it, else 404."""
    return get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.published().prefetch_related("themes")
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/directory.html", {"page_obj": page})


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_viewing(request, slug)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "contact": organisation.visible_contact(request.user),
        },
    )


@require_GET
def network_groups(request: HttpRequest) -> HttpResponse:
    groups = NetworkGroup.objects.select_related("facilitator")
    return render(request, "organisations/network_groups.html", {"groups": groups})


@require_GET
def network_group(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(NetworkGroup.objects.select_related("facilitator"), slug=slug)
    members = group.organisations.published()
    return render(
        request, "organisations/network_group.html", {"group": group, "members": members}
    )
