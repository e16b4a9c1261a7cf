"""The directory's filters and facet counts.

``DirectoryFilter`` reads the directory's query string (``q``, ``kind``, ``network_group``,
``theme`` (repeatable), ``country``, ``city``, ``ordering``), validates it like a form and
narrows a queryset of published organisations. ``facets()`` counts, for every option of the
kind, network group, theme and country facets, how many results that option gives within
the current search: a single-choice facet (kind, group, country) is counted without its own
selection, themes (which combine with *and*) within the full selection. Counting touches
every matching row, so the counts are cached briefly per selection (``FACET_CACHE_SECONDS``).
When a search finds nothing, the filter switches to organisations with similar names
(``fuzzy``), so a typo still leads somewhere.
"""

import hashlib
import re
from collections import Counter

import django_filters
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters import fields as filter_fields
from taggit.models import Tag, TaggedItem

from .models import NetworkGroup, Organisation

FACET_CACHE_SECONDS = 60
MAX_THEMES = 10
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


class Ordering:
    RELEVANCE = "relevance"
    NAME = "name"
    NEWEST = "newest"
    CHOICES = [
        (RELEVANCE, _("Relevance")),
        (NAME, _("Name")),
        (NEWEST, _("Newest")),
    ]


class SlugChoiceField(filter_fields.ModelChoiceField):
    """A choice by slug that rejects anything but a slug before asking the database."""

    def to_python(self, value):
        if value not in self.empty_values and not SLUG.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SlugMultipleChoiceField(filter_fields.ModelMultipleChoiceField):
    """Several choices by slug: duplicates collapse, at most ``MAX_THEMES`` distinct ones."""

    def _check_values(self, value):
        value = list(dict.fromkeys(str(item) for item in value))
        if len(value) > MAX_THEMES:
            raise ValidationError(
                _("Choose at most %(limit)d themes."),
                code="too_many",
                params={"limit": MAX_THEMES},
            )
        for item in value:
            if not SLUG.fullmatch(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SlugChoiceField


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SlugMultipleChoiceField


def tagged_organisations(**filters):
    return TaggedItem.objects.filter(
        content_type__app_label="organisations", content_type__model="organisation", **filters
    )


def organisation_tags():
    """Themes used by organisations (events and proposals have their own)."""
    return Tag.objects.filter(pk__in=tagged_organisations().values("tag_id"))


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=200, strip=True
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("Any kind")
    )
    network_group = SlugChoiceFilter(
        label=_("Network group"),
        field_name="network_groups",
        to_field_name="slug",
        queryset=NetworkGroup.objects.all(),
        empty_label=_("Any network group"),
    )
    theme = SlugMultipleChoiceFilter(
        label=_("Themes"),
        to_field_name="slug",
        queryset=organisation_tags(),
        method="filter_themes",
    )
    country = django_filters.ChoiceFilter(
        label=_("Country of focus"),
        field_name="countries",
        choices=countries,
        lookup_expr="contains",
        empty_label=_("Any country"),
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

    # Filtering --------------------------------------------------------------------------

    def filter_search(self, queryset, name, value):
        if self.fuzzy:
            return queryset.similar_names(value)
        return queryset.search(value)

    def filter_themes(self, queryset, name, tags):
        """Organisations with every chosen theme (one subquery per theme, no row repeats)."""
        for tag in tags:
            queryset = queryset.filter(pk__in=tagged_organisations(tag=tag).values("object_id"))
        return queryset

    def filter_ordering(self, queryset, name, value):
        return queryset  # Applied last, in ``order``.

    def filter_queryset(self, queryset, exclude=()):
        """Apply every valid filter except those named in ``exclude``; leave order alone."""
        for name, value in self.form.cleaned_data.items():
            if name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

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

    def facets(self):
        """Counts per facet option within the current search, switching to similar names
        when a search finds nothing. Cached for ``FACET_CACHE_SECONDS`` per selection."""
        facets = self._cached_facets()
        if self.search_text and facets["total"] == 0:
            self.fuzzy = True
            if hasattr(self, "_qs"):
                del self._qs
            facets = self._cached_facets()
        return facets

    def _cache_key(self):
        data = self.form.cleaned_data
        selection = [
            ("fuzzy", self.fuzzy),
            ("q", data.get("q") or ""),
            ("kind", data.get("kind") or ""),
            ("network_group", getattr(data.get("network_group"), "slug", "")),
            ("theme", sorted(tag.slug for tag in data.get("theme") or [])),
            ("country", data.get("country") or ""),
            ("city", (data.get("city") or "").lower()),
            ("db", self.queryset.db),
        ]
        digest = hashlib.sha256(repr(selection).encode()).hexdigest()
        return f"organisations:directory-facets:v1:{digest}"

    def _cached_facets(self):
        key = self._cache_key()
        facets = cache.get(key)
        if facets is None:
            facets = self._count_facets()
            cache.set(key, facets, FACET_CACHE_SECONDS)
        return facets

    def _count_facets(self):
        def without(name):
            return self.filter_queryset(self.queryset.all(), exclude={name, "ordering"})

        kinds = dict(without("kind").order_by().values_list("kind").annotate(n=Count("pk")))
        chosen_kind = self.form.cleaned_data.get("kind")
        total = kinds.get(chosen_kind, 0) if chosen_kind else sum(kinds.values())
        in_groups = without("network_group").order_by().values("pk")
        groups = [
            (group.slug, group.name, group.n)
            for group in NetworkGroup.objects.annotate(
                n=Count("organisations", filter=Q(organisations__in=in_groups))
            ).order_by("position", "name")
        ]
        current = self.filter_queryset(self.queryset.all(), exclude={"ordering"})
        themes = [
            (row["tag__slug"], row["tag__name"], row["n"])
            for row in tagged_organisations(object_id__in=self.queryset.order_by().values("pk"))
            .values("tag__slug", "tag__name")
            .annotate(n=Count("pk", filter=Q(object_id__in=current.order_by().values("pk"))))
            .order_by("tag__name")
        ]
        return {
            "total": total,
            "kinds": kinds,
            "groups": groups,
            "themes": themes,
            "countries": self._count_countries(without("country")),
        }

    def _count_countries(self, current):
        """Every country of focus of a published organisation, with its count in ``current``."""
        published = self.queryset.order_by()
        if connections[published.db].vendor == "postgresql":
            published_sql, published_params = published.values(
                "pk", "countries"
            ).query.sql_with_params()
            current_sql, current_params = current.order_by().values("pk").query.sql_with_params()
            sql = (
                "SELECT code, COUNT(*) FILTER (WHERE o.id IN ("  # noqa: S608 -- compiled by the ORM
                + current_sql
                + ")) FROM ("
                + published_sql
                + ") AS o(id, countries) CROSS JOIN LATERAL "
                "unnest(string_to_array(o.countries, ',')) AS code GROUP BY code"
            )
            with connections[published.db].cursor() as cursor:
                cursor.execute(sql, (*current_params, *published_params))
                return dict(cursor.fetchall())
        counts = Counter()
        rows = published.annotate(
            matches=ExpressionWrapper(
                Q(pk__in=current.order_by().values("pk")), output_field=BooleanField()
            )
        ).values_list("countries", "matches")
        for codes, matches in rows:
            for code in codes.split(",") if isinstance(codes, str) else codes:
                if code:
                    counts[str(code)] += bool(matches)
        return dict(counts)
