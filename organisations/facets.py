"""Facets and counts of list pages.

``FacetedFilterSet`` is the facet engine of the directory and of the partnership proposals.
The rest is the directory's counts, and everything else counted over published
organisations, cached for the content generation.

``find(filterset, offset=…, limit=…)`` is what a valid ``DirectoryFilter`` finds: for every
option of the kind, network group, theme, country and city facets, how many results that
option gives within the current search (a single-choice facet (kind, group, country, city)
is counted without its own selection, themes, which combine with *and*, within the full
selection), the total, and one page of rows. When a search finds nothing, it finds
organisations with similar names instead. Counting touches every matching row, so counts
and the ids of each page are cached per selection, stamped with the content generation
(``peacenet.lib.caching``): a change to any organisation makes them out of date at once.
"""

import hashlib
from collections import Counter

import django_filters
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Q, Window
from django.utils import timezone

from peacenet.lib.caching import Stamped, cached_for_generation

from .cities import city_key
from .models import Confirmation, NetworkGroup, Organisation
from .search import is_postgresql
from .themes import themes_of

# How long counts stay in the cache at most; a change to the content retires them sooner.
FACET_CACHE_SECONDS = 600
OPTIONS_CACHE_KEY = "organisations:directory-options:v2"
GROUP_COUNTS_CACHE_KEY = "organisations:group-member-counts:v1"


class FacetedFilterSet(django_filters.FilterSet):
    """The facet engine of list pages: each facet counts its options over the result of every
    *other* filter, so choosing an option never hides its siblings. The directory
    (``organisations.filters.DirectoryFilter``) and the partnership proposals
    (``partnerships.filters.ProposalFilter``) are both ``FacetedFilterSet``s."""

    def without(self, *names):
        """The matches of every valid filter but ``names``, unordered: what a facet counts
        over."""
        self.errors  # noqa: B018 -- validates the form before filtering
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in names:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def count_by(self, name, field):
        """How many matches of every filter but ``name`` have each value of ``field``, as a
        dict (one query)."""
        return dict(self.without(name).values_list(field).annotate(n=Count("pk", distinct=True)))

    def count_options(self, name, options, relation):
        """``options`` (a QuerySet of what a facet offers, such as network groups) annotated
        with ``count``: how many matches of every filter but ``name`` reach each option
        through ``relation`` (one query, options with no match included)."""
        matches = Q(**{f"{relation}__in": self.without(name).values("pk")})
        return options.annotate(count=Count(relation, filter=matches, distinct=True))


def directory_options():
    """What the facets offer whatever the search: the network groups, and the themes,
    countries of focus and cities of published organisations, cached for the current
    content generation."""
    return cached_for_generation(
        OPTIONS_CACHE_KEY,
        lambda: {
            "groups": list(
                NetworkGroup.objects.order_by("position", "name").values_list("slug", "name")
            ),
            "themes": list(
                themes_of(Organisation.objects.published()).values_list("slug", "name")
            ),
            "countries": sorted(_country_counts(Organisation.objects.published())),
            "cities": list(
                Organisation.objects.published()
                .exclude(city="")
                .order_by("city")
                .values_list("city", flat=True)
                .distinct()
            ),
        },
        FACET_CACHE_SECONDS,
    )


def network_group_members(group, limit):
    """The number of published members of ``group`` and the first ``limit`` of them by
    name, in one query. The number and the ids shown are cached like the facet counts; the
    rows are read fresh."""
    key = f"organisations:group-members:v1:{group.pk}:{limit}"
    published = Organisation.objects.published()
    stamped = Stamped(key)
    cached = stamped.get(key)
    if cached is None:
        members = list(
            published.filter(network_groups=group)
            .annotate(member_total=Window(Count("pk")))
            .order_by("name", "pk")[:limit]
        )
        total = members[0].member_total if members else 0
        stamped.set(key, (total, [member.pk for member in members]), FACET_CACHE_SECONDS)
        return total, members
    total, ids = cached
    rows = published.in_bulk(ids)
    return total, [rows[pk] for pk in ids if pk in rows]


def network_group_member_counts():
    """Published members per network group slug, cached for the content generation."""
    return cached_for_generation(
        GROUP_COUNTS_CACHE_KEY,
        lambda: dict(
            Organisation.objects.published()
            .order_by()
            .filter(network_groups__isnull=False)
            .values_list("network_groups__slug")
            .annotate(n=Count("pk"))
        ),
        FACET_CACHE_SECONDS,
    )


def _country_counts(queryset):
    """How many organisations of ``queryset`` focus on each country (one query)."""
    queryset = queryset.order_by()
    if is_postgresql(queryset):
        try:
            sql, params = queryset.values("countries").query.sql_with_params()
        except EmptyResultSet:  # A search that can match nothing (``.none()``).
            return {}
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                "SELECT code, COUNT(*) FROM ("  # noqa: S608 -- compiled by the ORM
                + sql
                + ") AS o(countries) CROSS JOIN LATERAL "
                "unnest(string_to_array(o.countries, ',')) AS code GROUP BY code",
                params,
            )
            return dict(cursor.fetchall())
    counts = Counter()
    for codes in queryset.values_list("countries", flat=True):
        counts.update(code for code in str(codes).split(",") if code)
    return dict(counts)


def _confirmation_counts(queryset):
    """How many organisations of ``queryset`` are recently confirmed and how many stale
    (``Confirmation``), as a dict (one query)."""
    stale = Confirmation.condition(Confirmation.stale_before(), before=True)
    counts = queryset.aggregate(total=Count("pk"), stale=Count("pk", filter=stale))
    return {
        Confirmation.RECENT: counts["total"] - counts["stale"],
        Confirmation.STALE: counts["stale"],
    }


def count_facets(filterset):
    """Counts per option, each driven from the matching organisations (one query each)."""
    kinds = dict(filterset.without("kind").values_list("kind").annotate(n=Count("pk")))
    chosen_kind = filterset.form.cleaned_data.get("kind")
    total = kinds.get(chosen_kind, 0) if chosen_kind else sum(kinds.values())
    groups = filterset.without("network_group").values_list("network_groups__slug")
    # Through the generic relation, so PostgreSQL starts from the matching organisations.
    themes = filterset.without().values_list("tagged_items__tag__slug")
    return {
        "total": total,
        "kinds": kinds,
        "groups": dict(groups.annotate(n=Count("pk"))),
        "themes": dict(themes.annotate(n=Count("pk"))),
        "countries": _country_counts(filterset.without("country")),
        "confirmed": _confirmation_counts(filterset.without("confirmed")),
        "cities": dict(
            filterset.without("city").exclude(city="").values_list("city").annotate(n=Count("pk"))
        ),
    }


def _selection_key(filterset):
    data = filterset.form.cleaned_data
    selection = [
        ("fuzzy", filterset.fuzzy),
        ("q", data.get("q") or ""),
        ("kind", data.get("kind") or ""),
        ("network_group", data.get("network_group") or ""),
        ("theme", sorted(data.get("theme") or [])),
        ("country", data.get("country") or ""),
        ("city", city_key(data.get("city"))),
        # Entries turn stale with the calendar, not with a change: counts hold for a day.
        ("confirmed", data.get("confirmed") or "", timezone.localdate().isoformat()),
        ("db", filterset.queryset.db),
    ]
    digest = hashlib.sha256(repr(selection).encode()).hexdigest()
    return f"organisations:directory-facets:v1:{digest}"


class Found:
    """What a valid ``DirectoryFilter`` finds: its facet counts (``facets``, with
    ``facets["total"]``) and, through ``page()``, its rows from ``offset`` to ``limit``.
    The counts and the ids of that page are read from the cache in one round trip."""

    def __init__(self, filterset, *, offset, limit):
        self.filterset = filterset
        self.offset, self.limit = offset, limit
        self._key = _selection_key(filterset)
        self._page_key = f"{self._key}:page:{filterset.chosen_ordering}:{offset}:{limit}"
        self._stamped = Stamped(self._key, self._page_key)
        self.facets = self._stamped.get(self._key)
        if self.facets is None:
            self.facets = count_facets(filterset)
            self._stamped.set(self._key, self.facets, FACET_CACHE_SECONDS)

    @property
    def total(self):
        return self.facets["total"]

    def page(self, offset=None):
        """The rows of the page at ``offset`` (by default the one read ahead). Its ids are
        cached like the counts, so paging through a popular search ranks its matches once per
        content generation, not on every request; the rows themselves are read fresh (and
        must still be published)."""
        offset = self.offset if offset is None else offset
        if offset == self.offset:
            key, stamped = self._page_key, self._stamped
        else:
            key = f"{self._key}:page:{self.filterset.chosen_ordering}:{offset}:{self.limit}"
            stamped = Stamped(key)
        ids = stamped.get(key)
        if ids is None:
            rows = list(self.filterset.qs[offset : offset + self.limit])
            stamped.set(key, [row.pk for row in rows], FACET_CACHE_SECONDS)
            return rows
        found = self.filterset.queryset.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def find(filterset, *, offset=0, limit=20):
    """What ``filterset`` finds (``Found``); when its search finds nothing, what the same
    filters find among organisations with similar names (``Found.filterset.fuzzy``)."""
    found = Found(filterset, offset=offset, limit=limit)
    if filterset.search_text and found.total == 0:
        found = Found(filterset.similar_names(), offset=offset, limit=limit)
    return found
