"""The directory's filters and facet counts.

``DirectoryFilter`` reads the directory's query string (``q``, ``kind``, ``network_group``,
``theme`` (repeatable), ``country``, ``city``, ``ordering``), validates it like a form and
narrows a queryset of published organisations. ``facets()`` counts, for every option of the
kind, network group, theme and country facets, how many results that option gives within
the current search: a single-choice facet (kind, group, country) is counted without its own
selection, themes (which combine with *and*) within the full selection. Counting touches
every matching row, so the counts are cached per selection, stamped with the content
generation (``peacenet.lib.caching``): a change to any organisation makes them out of date at once.
When a search finds nothing, the filter switches to organisations with similar names
(``fuzzy``), so a typo still leads somewhere.
"""

import hashlib
from collections import Counter

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Count, F, Window
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters import fields as filter_fields

from peacenet.lib.caching import Stamped, cached_for_generation

from .facets import FacetedFilterSet
from .models import NetworkGroup, Organisation
from .search import is_postgresql
from .themes import tagged_items, themes_of

# How long counts stay in the cache at most; a change to the content retires them sooner.
FACET_CACHE_SECONDS = 600
OPTIONS_CACHE_KEY = "organisations:directory-options:v1"
GROUP_COUNTS_CACHE_KEY = "organisations:group-member-counts:v1"
MAX_THEMES = 10


class Ordering:
    RELEVANCE = "relevance"
    NAME = "name"
    NEWEST = "newest"
    CHOICES = [
        # By rank when searching, else by name.
        (RELEVANCE, _("Best match")),
        (NAME, _("Name")),
        (NEWEST, _("Newest")),
    ]


class ThemesField(filter_fields.MultipleChoiceField):
    """Several themes by slug: duplicates collapse, at most ``MAX_THEMES`` distinct ones."""

    def to_python(self, value):
        return list(dict.fromkeys(super().to_python(value)))

    def validate(self, value):
        if len(value) > MAX_THEMES:
            raise ValidationError(
                _("Choose at most %(limit)d themes."),
                code="too_many",
                params={"limit": MAX_THEMES},
            )
        super().validate(value)


class CountryField(forms.CharField):
    """A country by its ISO 3166 code, any country (not only those listed)."""

    def clean(self, value):
        value = super().clean(value)
        if value and not (value.isascii() and value.isalpha() and countries.name(value.upper())):
            raise ValidationError(_("Choose a country from the list."), code="invalid_choice")
        return value.upper()


class ThemesFilter(django_filters.MultipleChoiceFilter):
    field_class = ThemesField


class CountryFilter(django_filters.CharFilter):
    field_class = CountryField


def directory_options():
    """What the facets offer whatever the search: the network groups, and the themes and
    countries of focus of published organisations, cached for the current
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
        sql, params = queryset.values("countries").query.sql_with_params()
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


class DirectoryFilter(FacetedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=200, strip=True
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("Any kind")
    )
    network_group = django_filters.ChoiceFilter(
        label=_("Network group"),
        field_name="network_groups__slug",
        empty_label=_("Any network group"),
    )
    theme = ThemesFilter(label=_("Themes"), method="filter_themes")
    country = CountryFilter(
        label=_("Country of focus"), field_name="countries", lookup_expr="contains", max_length=2
    )
    city = django_filters.CharFilter(
        label=_("City"), lookup_expr="iexact", max_length=100, strip=True
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Order by"), choices=Ordering.CHOICES, method="filter_ordering", empty_label=None
    )

    class Meta:
        model = Organisation
        fields = []  # All declared above, in the order they apply.

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Organisation.objects.published()
        super().__init__(data, queryset=queryset, **kwargs)
        self.fuzzy = False
        self.options = directory_options()
        self.filters["network_group"].extra["choices"] = self.options["groups"]
        self.filters["theme"].extra["choices"] = self.options["themes"]

    # Filtering --------------------------------------------------------------------------

    def filter_search(self, queryset, name, value):
        if self.fuzzy:
            return queryset.similar_names(value)
        return queryset.search(value)

    def filter_themes(self, queryset, name, slugs):
        """Organisations with every chosen theme (one subquery per theme, no row repeats)."""
        for slug in slugs:
            queryset = queryset.filter(
                pk__in=tagged_items(Organisation, tag__slug=slug).values("object_id")
            )
        return queryset

    def filter_ordering(self, queryset, name, value):
        return queryset  # Applied last, in ``order``.

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self.errors  # noqa: B018 -- validates the form before filtering
            self._qs = self.order(self.filter_queryset(self.queryset.all()))
        return self._qs

    @property
    def search_text(self):
        return (self.form.cleaned_data or {}).get("q") or "" if self.is_bound else ""

    @property
    def chosen_ordering(self):
        chosen = self.form.cleaned_data.get("ordering") if self.form.is_valid() else None
        if chosen in (Ordering.NAME, Ordering.NEWEST):
            return chosen
        return Ordering.RELEVANCE if self.search_text else Ordering.NAME

    def order(self, queryset):
        if self.chosen_ordering == Ordering.RELEVANCE:
            return queryset.order_by(F("rank").desc(), "name", "pk")
        if self.chosen_ordering == Ordering.NEWEST:
            return queryset.order_by("-created", "pk")
        return queryset.order_by("name", "pk")

    # Facets -----------------------------------------------------------------------------

    def facets(self, *, page_offset=0, page_size=20):
        """Counts per facet option within the current search, switching to similar names
        when a search finds nothing. Cached per selection for the content generation; the
        cached ids of the page about to be shown come back in the same cache read."""
        facets = self._cached_facets(page_offset, page_size)
        if self.search_text and facets["total"] == 0:
            self.fuzzy = True
            if hasattr(self, "_qs"):
                del self._qs
            facets = self._cached_facets(page_offset, page_size)
        return facets

    def _cache_key(self):
        data = self.form.cleaned_data
        selection = [
            ("fuzzy", self.fuzzy),
            ("q", data.get("q") or ""),
            ("kind", data.get("kind") or ""),
            ("network_group", data.get("network_group") or ""),
            ("theme", sorted(data.get("theme") or [])),
            ("country", data.get("country") or ""),
            ("city", (data.get("city") or "").lower()),
            ("db", self.queryset.db),
        ]
        digest = hashlib.sha256(repr(selection).encode()).hexdigest()
        return f"organisations:directory-facets:v1:{digest}"

    def page(self, offset, limit):
        """One page of results. The ids of a page are cached like the counts, so paging
        through a popular search ranks its matches once per content generation, not on every
        request; the rows themselves are read fresh (and must still be published)."""
        key = self._page_key(offset, limit)
        stamped = getattr(self, "_read_ahead", {}).get(key) or Stamped(key)
        ids = stamped.get(key)
        if ids is None:
            rows = list(self.qs[offset : offset + limit])
            stamped.set(key, [row.pk for row in rows], FACET_CACHE_SECONDS)
            return rows
        found = self.queryset.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def _page_key(self, offset, limit):
        return f"{self._cache_key()}:page:{self.chosen_ordering}:{offset}:{limit}"

    def _cached_facets(self, page_offset, page_size):
        key, page_key = self._cache_key(), self._page_key(page_offset, page_size)
        stamped = Stamped(key, page_key)
        self._read_ahead = {page_key: stamped}
        facets = stamped.get(key)
        if facets is None:
            facets = self._count_facets()
            stamped.set(key, facets, FACET_CACHE_SECONDS)
        return facets

    def _count_facets(self):
        """Counts per option, each driven from the matching organisations (one query each)."""

        def without(name):
            return self.without(name, "ordering")

        kinds = dict(without("kind").values_list("kind").annotate(n=Count("pk")))
        chosen_kind = self.form.cleaned_data.get("kind")
        total = kinds.get(chosen_kind, 0) if chosen_kind else sum(kinds.values())
        current = self.filter_queryset(self.queryset.all(), exclude={"ordering"}).order_by()
        groups = without("network_group").values_list("network_groups__slug")
        # Through the generic relation, so PostgreSQL starts from the matching organisations.
        themes = current.values_list("tagged_items__tag__slug")
        return {
            "total": total,
            "kinds": kinds,
            "groups": dict(groups.annotate(n=Count("pk"))),
            "themes": dict(themes.annotate(n=Count("pk"))),
            "countries": _country_counts(without("country")),
        }
