"""The facet engine of list pages: each facet counts its options over the result of every
*other* filter, so choosing an option never hides its siblings. The directory
(``organisations.filters.DirectoryFilter``) and the partnership proposals
(``partnerships.filters.ProposalFilter``) are both ``FacetedFilterSet``s."""

import django_filters
from django.db.models import Count, Q


class FacetedFilterSet(django_filters.FilterSet):
    def filter_queryset(self, queryset, exclude=()):
        """Apply every valid filter except those named in ``exclude``; leave order alone."""
        for name, value in self.form.cleaned_data.items():
            if name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def without(self, *names):
        """The matches of every filter but ``names``, unordered: what a facet counts over."""
        self.errors  # noqa: B018 -- validates the form before filtering
        return self.filter_queryset(self.queryset.all(), exclude=set(names)).order_by()

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
