"""The directory's filters.

``DirectoryFilter`` reads the directory's query string (``q``, ``kind``, ``network_group``,
``theme`` (repeatable), ``country``, ``city``, ``confirmed`` (``recent``/``stale``),
``ordering``), validates it like a form and
narrows a queryset of published organisations, in the chosen order; as a
``FacetedFilterSet`` it also gives what each facet counts over (``without``). Its search
matches words; ``similar_names()`` is the same filter looking for names like the search
instead, the fallback when a search finds nothing. Counting what each option gives, and
caching counts and pages, is ``organisations.facets``'s work.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters import fields as filter_fields

from peacenet.lib.caching import normalised_query

from .cities import city_key
from .facets import StoredFacetsFilterSet, directory_options
from .models import Confirmation, Organisation
from .search import has_unknown_words, is_postgresql, statement_values, understand

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
    """Several themes by slug: duplicates collapse, at most ``MAX_THEMES`` distinct ones. A
    slug that is no theme of the directory is no error: it finds nothing, and the directory
    suggests the themes it has."""

    def valid_value(self, value):
        return bool(re.fullmatch(r"[-\w]{1,100}", str(value)))

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


# The directory's form classes by filter set class and options (``DirectoryFilter.
# get_form_class``): one per language and set of groups and themes; a change of either
# makes a new one.
MAX_FORM_CLASSES = 32
_form_classes = {}


class DirectoryFilter(StoredFacetsFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=200, strip=True
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Organisation.Kind.choices,
        empty_label=_("Any kind"),
        method="filter_facet",
    )
    network_group = django_filters.ChoiceFilter(
        label=_("Network group"), empty_label=_("Any network group"), method="filter_facet"
    )
    theme = ThemesFilter(label=_("Themes"), method="filter_themes")
    country = CountryFilter(label=_("Country of focus"), max_length=2, method="filter_facet")
    city = django_filters.CharFilter(
        label=_("City"), max_length=100, strip=True, method="filter_facet"
    )
    confirmed = django_filters.ChoiceFilter(
        label=_("Confirmed"),
        choices=Confirmation.CHOICES,
        method="filter_facet",
        empty_label=_("Any"),
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Order by"), choices=Ordering.CHOICES, method="filter_ordering", empty_label=None
    )
    # Search the words as typed, without correcting their spelling.
    as_typed = django_filters.BooleanFilter(
        label=_("Search the words as typed"), method="filter_as_typed", widget=forms.HiddenInput
    )

    # Counted without their own choice, so choosing one never hides the others.
    single_choice_facets = ("kind", "network_group", "country", "city", "confirmed")

    class Meta:
        model = Organisation
        fields = []  # All declared above, in the order they apply.

    def __init__(self, data=None, queryset=None, *, fuzzy=False, options=None, **kwargs):
        # Whether it narrows the published organisations (``statement_slots``).
        self.of_published = queryset is None
        if queryset is None:
            queryset = Organisation.objects.published()
        super().__init__(data, queryset=queryset, **kwargs)
        # Whether the search looks for similar names rather than matching words.
        self.fuzzy = fuzzy
        self.options = directory_options() if options is None else options
        self.filters["network_group"].extra["choices"] = self.options["groups"]
        self.filters["theme"].extra["choices"] = self.options["themes"]

    def get_form_class(self):
        """The form class for this filter's options, built once per process for each set of
        them. django-filter builds a form class, and a field for each filter, for every
        filter set it makes: about a third of what making and validating the directory's
        filter costs. The fields depend only on the filter set's class and its options (the
        groups' and themes' choices, in the reader's language); each form still has its own
        copies of them."""
        key = (type(self), *(tuple(self.options[name]) for name in ("groups", "themes")))
        form_class = _form_classes.get(key)
        if form_class is None:
            if len(_form_classes) >= MAX_FORM_CLASSES:
                _form_classes.clear()
            form_class = _form_classes[key] = super().get_form_class()
        return form_class

    def similar_names(self):
        """This filter with its search looking for organisations with similar names: where
        the directory turns when a search finds nothing, so a typo still leads somewhere."""
        similar = type(self)(self.data, self.queryset, fuzzy=True, options=self.options)
        similar.is_valid()  # The same data, valid as this filter's.
        return similar

    def may_be_a_name(self):
        """Whether names like the search may find what its words did not: when one of the
        words as typed is unknown to the directory (a misspelt name, say)."""
        typed = self.understood(self.search_text, correct=False)
        return has_unknown_words(typed, using=self.queryset.db)

    def understood(self, text, *, correct=True):
        """``text`` as the search reads it (``search.understand``: parsed, misspelt words
        corrected unless ``correct`` is false), worked out once for this filter: its counts,
        its page and the page's "Showing results for" all use it."""
        memo = self.__dict__.setdefault("_understood", {})
        if (text, correct) not in memo:
            memo[text, correct] = understand(text, correct=correct, using=self.queryset.db)
        return memo[text, correct]

    def searched(self):
        """The search text as this filter searches it: corrected, unless asked for as typed."""
        return self.understood(
            self.search_text, correct=not self.form.cleaned_data.get("as_typed")
        )

    def filter_search(self, queryset, name, value):
        if self.fuzzy:
            return queryset.similar_names(value)
        return queryset.search(self.searched())

    def filter_as_typed(self, queryset, name, value):
        return queryset  # Read by ``filter_search``.

    def filter_themes(self, queryset, name, slugs):
        """Organisations with every chosen theme."""
        for index, slug in enumerate(slugs):
            queryset = queryset.filter(self.facet_condition(name, slug, slot=f"{name}{index}"))
        return queryset

    def statement_slots(self):
        """The shape of this filter's facet statement and the values of its slots
        (``StoredFacetsFilterSet.statement_slots``): which single-choice facets are chosen,
        how many themes, whether there is a search and whether it has words and a whole name
        (how it reads otherwise is in its ``tsquery``'s text and its exact name:
        ``search.statement_values``), and every other filter's value as it is. A search for
        similar names, a search on SQLite (matched term by term) and a filter of other
        organisations than the published ones are compiled afresh."""
        if self.fuzzy or not self.of_published:
            return None
        data = self.form.cleaned_data
        shape, values = [], {}
        for name, value in data.items():
            if name in self.single_choice_facets:
                shape.append((name, bool(value)))
                if value:
                    values[name] = self.facet_compared(name, value)
            elif name == "theme":
                shape.append((name, len(value or ())))
                for index, slug in enumerate(value or ()):
                    values[f"{name}{index}"] = self.facet_compared(name, slug)
            elif name == "q" and value:
                if not is_postgresql(self.queryset):
                    return None
                query = self.searched()
                shape.append((name, True, bool(query), bool(query.exact)))
                if query:
                    values.update(statement_values(query, self.queryset.db))
            else:
                shape.append((name, repr(value)))
        return tuple(shape), values

    def computed_facets(self):
        """Whether an organisation counts as recently confirmed depends on the day (worked
        out once per filter and day: the facet conditions and counts ask for it often)."""
        today = timezone.localdate()
        memo = self.__dict__.get("_computed_facets")
        if memo is None or memo[0] != today:
            stale = Confirmation.condition(Confirmation.stale_before(today), before=True)
            confirmed = Case(
                When(stale, then=Value(Confirmation.STALE)),
                default=Value(Confirmation.RECENT),
                output_field=CharField(),
            )
            memo = self._computed_facets = (today, {"confirmed": confirmed})
        return memo[1]

    def facet_value(self, name, value):
        """Any of a city's names finds it ("Den Haag" is "The Hague")."""
        return city_key(value) if name == "city" else value

    def filter_ordering(self, queryset, name, value):
        return queryset  # Applied last, by ``filter_queryset``.

    def filter_queryset(self, queryset):
        """Every filter, then the chosen order."""
        return self.order(super().filter_queryset(queryset))

    @property
    def search_text(self):
        return (self.form.cleaned_data or {}).get("q") or "" if self.is_bound else ""

    @property
    def chosen_ordering(self):
        chosen = self.form.cleaned_data.get("ordering") if self.form.is_valid() else None
        if chosen in (Ordering.NAME, Ordering.NEWEST):
            return chosen
        return Ordering.RELEVANCE if self.search_text else Ordering.NAME

    def ordering_fields(self):
        """The fields of the chosen order, each with whether it descends."""
        if self.chosen_ordering == Ordering.RELEVANCE:
            return [("rank", True), ("name", False), ("pk", False)]
        if self.chosen_ordering == Ordering.NEWEST:
            return [("created", True), ("pk", False)]
        return [("name", False), ("pk", False)]

    def order(self, queryset):
        return queryset.order_by(
            *(
                F(name).desc() if descending else F(name).asc()
                for name, descending in self.ordering_fields()
            )
        )


# What a followed search keeps: the filters that choose organisations, not their order.
SEARCH_FILTERS = tuple(name for name in DirectoryFilter.base_filters if name != "ordering")


def search_query(data) -> str:
    """The directory's filters in ``data`` (a ``QueryDict``) as one query string, normalised
    as the page cache normalises the directory's address: a followed search is saved, and
    its feed addressed, under this form."""
    return normalised_query(data, SEARCH_FILTERS)
