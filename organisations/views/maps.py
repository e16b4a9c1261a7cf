"""The world map of countries of focus: the directory's country counts, with its filters,
as a choropleth and as a table."""

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from peacenet.lib.caching import PAGE_CACHE_SECONDS, normalised_query, public_page
from peacenet.lib.rendered import rendered_for_generation

from ..facets import find
from ..filters import DirectoryFilter
from ..worldmap import country_names, organisations_label, world_map

SORTS = ("name", "count")
# The directory's filters and the table's order: any other parameter is no new cache entry.
UNDERSTOOD = (*DirectoryFilter.base_filters, "sort")


def country_table(counts, link, sort, names=None):
    """Every country any organisation focuses on, by name or by count (most first)."""
    names = country_names() if names is None else names
    rows = [
        {"code": code, "name": names.get(code, "") or code, "count": n, "url": link(code)}
        for code, n in counts.items()
        if code and n
    ]
    rows.sort(key=lambda row: row["name"])
    if sort == "count":
        rows.sort(key=lambda row: -row["count"])
    for row in rows:
        row["title"] = organisations_label(row["name"], row["count"])
    return rows


def _with(query, **changes):
    """``query`` (a QueryDict) as a query string with ``changes``; None removes one."""
    query = query.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return f"?{query.urlencode()}"


def _picture(query):
    """The map, its legend and the table for ``query`` (normalised) as HTML, with whether
    it is filtered; None when the filters are not valid."""
    data = QueryDict(query)
    filterset = DirectoryFilter(data)
    if not filterset.is_valid():
        return None
    sort = data.get("sort") if data.get("sort") in SORTS else "name"
    found = find(filterset)
    counts = found.facets["country"]
    # The directory's query without the country (each country sets its own) and the page.
    directory_query = data.copy()
    for name in ("country", "page", "sort"):
        directory_query.pop(name, None)
    directory = reverse("organisations:directory")

    def link(code):
        directory_query["country"] = code
        return f"{directory}?{directory_query.urlencode()}"

    chosen = filterset.form.cleaned_data.get("country") or ""
    names = country_names()
    filtered = any(
        filterset.form.cleaned_data.get(name)
        for name in filterset.form.cleaned_data
        if name not in ("ordering", "country")
    )
    context = {
        "sort": sort,
        "world": world_map(counts, link, chosen=chosen, names=names),
        "countries": country_table(counts, link, sort, names=names),
        "total": found.total,
        "filtered": filtered,
        "as_list": directory + _with(data, sort=None),
        "by_name": _with(data, sort=None),
        "by_count": _with(data, sort="count"),
    }
    html = render_to_string("organisations/includes/map_picture.html", context)
    return {"html": str(html), "filtered": filtered}


@require_safe
@public_page(query=UNDERSTOOD, same_for_members=True)
def map_view(request: HttpRequest) -> HttpResponse:
    # The picture is the same for everyone who asks the same question: rendered once per
    # content generation, language and query, for signed-in members too.
    query = normalised_query(request.GET, UNDERSTOOD)
    picture = rendered_for_generation(
        "organisations:map", query, lambda: _picture(query), PAGE_CACHE_SECONDS
    )
    if picture is None:
        filterset = DirectoryFilter(request.GET)
        filterset.is_valid()
        context = {"filter": filterset, "form": filterset.form}
        return render(request, "organisations/map.html", context, status=400)
    # Rendered by map_picture.html in _picture.
    html = mark_safe(picture["html"])  # noqa: S308
    context = {"picture": html, "filtered": picture["filtered"]}
    return render(request, "organisations/map.html", context)
