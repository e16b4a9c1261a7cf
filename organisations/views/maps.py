"""The world map of countries of focus: the directory's country counts, with its filters,
as a choropleth and as a table."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_countries import countries

from peacenet.lib.caching import public_page

from ..facets import find
from ..filters import DirectoryFilter
from ..worldmap import organisations_label, world_map

SORTS = ("name", "count")


def country_table(counts, link, sort):
    """Every country any organisation focuses on, by name or by count (most first)."""
    rows = [
        {"code": code, "name": countries.name(code) or code, "count": n, "url": link(code)}
        for code, n in counts.items()
        if code and n
    ]
    rows.sort(key=lambda row: row["name"])
    if sort == "count":
        rows.sort(key=lambda row: -row["count"])
    for row in rows:
        row["title"] = organisations_label(row["name"], row["count"])
    return rows


@require_safe
# The directory's filters and the table's order: any other parameter is no new cache entry.
@public_page(query=[*DirectoryFilter.base_filters, "sort"])
def map_view(request: HttpRequest) -> HttpResponse:
    filterset = DirectoryFilter(request.GET)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    context = {"filter": filterset, "form": filterset.form, "sort": sort}
    if not filterset.is_valid():
        return render(request, "organisations/map.html", context, status=400)
    found = find(filterset)
    counts = found.facets["country"]
    # The directory's query without the country (each country sets its own) and the page.
    query = request.GET.copy()
    for name in ("country", "page", "sort"):
        query.pop(name, None)
    directory = reverse("organisations:directory")

    def link(code):
        query["country"] = code
        return f"{directory}?{query.urlencode()}"

    chosen = filterset.form.cleaned_data.get("country") or ""
    context.update(
        world=world_map(counts, link, chosen=chosen),
        countries=country_table(counts, link, sort),
        total=found.total,
        filtered=any(
            filterset.form.cleaned_data.get(name)
            for name in filterset.form.cleaned_data
            if name not in ("ordering", "country")
        ),
    )
    return render(request, "organisations/map.html", context)
