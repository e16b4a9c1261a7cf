"""What a network group's facilitators do from the group's page: post announcements, read
the member list with the contact details members may see, and take it as CSV."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import services
from ..exports import csv_value
from ..forms import AnnouncementForm
from ..models import NetworkGroup

MEMBERS_PAGE_SIZE = 50


def get_group_for_facilitating(request: HttpRequest, slug: str) -> NetworkGroup:
    """The group if the user may post to it (its facilitators, staff with staff powers):
    404 if there is no such group, else 403."""
    group = get_object_or_404(NetworkGroup.objects.select_related("facilitator"), slug=slug)
    if not group.may_post(request.user):
        raise PermissionDenied
    return group


@login_required
@require_http_methods(["GET", "POST"])
def announce(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_facilitating(request, slug)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_announcement(group=group, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your announcement is posted."))
        return redirect(group)
    return render(request, "organisations/announce.html", {"group": group, "form": form})


MEMBER_FIELDS = ["name", "kind", "city", "email", "phone", "address", "postcode", "website"]


def member_rows(organisations):
    """Each member organisation with the contact details every signed-in member may see."""
    for organisation in organisations:
        yield organisation, organisation.members_contact()


@login_required
@require_safe
def members(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_facilitating(request, slug)
    organisations = group.published_members()
    page = Paginator(organisations, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/group_members.html",
        {"group": group, "page_obj": page, "rows": list(member_rows(page))},
    )


@login_required
@require_POST
def members_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The member list as CSV: asked for by POST, since taking it is recorded."""
    group = get_group_for_facilitating(request, slug)
    organisations = services.export_group_members(group=group, by=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{group.slug}-members-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(MEMBER_FIELDS)
    for organisation, contact in member_rows(organisations):
        record = {
            "name": organisation.name,
            "kind": organisation.get_kind_display(),
            "city": organisation.city,
            "website": organisation.website,
            **contact,
        }
        writer.writerow([csv_value(record.get(field, "")) for field in MEMBER_FIELDS])
    return response
