import django_filters
from django.utils.translation import gettext_lazy as _

from organisations.models import NetworkGroup

from .models import Event


class EventFilter(django_filters.FilterSet):
    """The filters of the events list: kind, network group (slug) and year."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All kinds")
    )
    network_group = django_filters.ModelChoiceFilter(
        label=_("Network group"),
        queryset=NetworkGroup.objects.all(),
        to_field_name="slug",
        empty_label=_("All groups"),
        method="filter_network_group",
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"),
        field_name="start",
        lookup_expr="year",
        empty_label=_("All years"),
    )

    class Meta:
        model = Event
        fields = ["kind", "network_group", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = self.queryset.order_by().datetimes("start", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(day.year, day.year) for day in years]

    def filter_network_group(self, queryset, name, value):
        return queryset.for_network_group(value)
