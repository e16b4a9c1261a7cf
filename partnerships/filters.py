import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.facets import FacetedFilterSet
from organisations.models import NetworkGroup
from organisations.themes import tagged_items, themes_of

from .models import PartnershipProposal, ProposalStatus


def _proposal_tags():
    """The themes of public proposals: a draft's or a hidden proposal's own are not shown."""
    return themes_of(PartnershipProposal.objects.public())


class ProposalFilter(FacetedFilterSet):
    """The filters of ``/partnerships/``: ``q``, ``status``, ``network_group``, ``theme``, and
    ``expired`` to show the open calls whose deadline has passed (left out by default)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in ProposalStatus.choices if c[0] != ProposalStatus.DRAFT],
        empty_label=_("Any status"),
    )
    network_group = django_filters.ModelChoiceFilter(
        label=_("Network group"),
        queryset=NetworkGroup.objects.all(),
        to_field_name="slug",
        empty_label=_("Any group"),
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Themes"),
        queryset=_proposal_tags(),
        to_field_name="slug",
        method="filter_theme",
        widget=forms.CheckboxSelectMultiple,
    )

    expired = django_filters.BooleanFilter(
        label=_("Show open calls whose deadline has passed"),
        method="filter_expired",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = PartnershipProposal
        fields = ["q", "status", "network_group", "theme", "expired"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def filter_expired(self, queryset, name, value):
        # Unticked (False), open calls past their deadline are left out.
        return queryset if value else queryset.without_expired_calls()

    def filter_theme(self, queryset, name, value):
        # Every chosen theme must apply; subqueries keep one row per proposal.
        for tag in value:
            queryset = queryset.filter(
                pk__in=tagged_items(PartnershipProposal, tag=tag).values("object_id")
            )
        return queryset

    def facets(self):
        """What each facet offers with its count over the other filters' result (the
        directory's facet engine, ``FacetedFilterSet``), in four queries."""
        statuses = self.count_by("status", "status")
        themes = self.count_by("theme", "themes__slug")
        return {
            "statuses": [
                {"value": value, "label": label, "count": statuses.get(value, 0)}
                for value, label in self.filters["status"].extra["choices"]
            ],
            "groups": self.count_options("network_group", NetworkGroup.objects.all(), "proposals"),
            "themes": [_counted(tag, themes.get(tag.slug, 0)) for tag in _proposal_tags()],
        }


def _counted(option, count):
    option.count = count
    return option


class NetworkFilter(ProposalFilter):
    """The filters of ``/partnerships/network/``: the proposals' own, with the statuses the
    network shows (forming and active)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (ProposalStatus.FORMING, ProposalStatus.ACTIVE)],
        empty_label=_("Forming or active"),
    )
