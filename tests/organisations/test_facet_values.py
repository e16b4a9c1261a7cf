"""The facet values stored on each organisation, and every facet counted in one pass."""

import itertools

import django_filters
import pytest
from django.db import connection
from django.db.models import Case, CharField, Value, When
from django.http import QueryDict

from organisations.facets import count_facets, refresh_facet_values
from organisations.filters import DirectoryFilter
from organisations.models import Organisation
from tests.factories import NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _values(organisation):
    return Organisation.objects.get(pk=organisation.pk).facet_values


def test_an_organisation_stores_the_values_of_every_facet():
    group = NetworkGroupFactory(slug="youth")
    organisation = OrganisationFactory(
        kind="diaspora", city="  Den   HAAG ", countries=["SO", "CD"], themes=["Human rights"]
    )
    organisation.network_groups.add(group)

    assert _values(organisation) == [
        "city:the hague",
        "country:CD",
        "country:SO",
        "kind:diaspora",
        "network_group:youth",
        "theme:human-rights",
    ]


def test_the_values_read_as_a_list_on_either_database_with_no_converter_on_postgresql():
    organisation = OrganisationFactory(kind="ngo", city="", countries=[])
    field = Organisation._meta.get_field("facet_values")

    [values] = Organisation.objects.filter(pk=organisation.pk).values_list(
        "facet_values", flat=True
    )

    assert values == ["kind:ngo"]
    # psycopg reads a text[] as a list: no call per row (an export reads 100,000 of them).
    assert (field.get_db_converters(connection) == []) == (connection.vendor == "postgresql")


def test_the_values_follow_changes_to_the_organisation_and_its_relations():
    group = NetworkGroupFactory(slug="gender")
    organisation = OrganisationFactory(kind="ngo", city="Delft", themes=["Youth", "Media"])
    organisation.network_groups.add(group)

    organisation.kind = "government"
    organisation.city = ""
    organisation.save()
    organisation.themes.remove("Media")
    group.organisations.remove(organisation)  # From the group's side.

    assert _values(organisation) == ["kind:government", "theme:youth"]


def test_renaming_or_deleting_a_group_or_theme_rewrites_its_members_values():
    group = NetworkGroupFactory(slug="gender")
    organisation = OrganisationFactory(themes=["Youth"])
    organisation.network_groups.add(group)

    group.slug = "women"
    group.save()
    assert "network_group:women" in _values(organisation)

    group.delete()
    organisation.themes.get(slug="youth").delete()
    assert _values(organisation) == ["city:the hague", "kind:ngo"]


def test_clearing_a_groups_members_rewrites_their_values():
    group = NetworkGroupFactory(slug="gender")
    organisation = OrganisationFactory()
    organisation.network_groups.add(group)

    group.organisations.clear()

    assert "network_group:gender" not in _values(organisation)


def test_the_values_are_written_sorted_in_code_point_order_without_repeats():
    # The counts find a facet's values on a row as a slice of them (organisations.facets).
    organisation = OrganisationFactory(kind="ngo")
    written = ["theme:youth", "city:ürümqi", "kind:ngo", "city:zwolle", "country:SO", "kind:ngo"]
    Organisation.objects.filter(pk=organisation.pk).update(facet_values=written)

    assert _values(organisation) == [
        "city:zwolle",
        "city:ürümqi",
        "country:SO",
        "kind:ngo",
        "theme:youth",
    ]


def test_refresh_repairs_values_written_without_signals():
    organisation = OrganisationFactory(kind="ngo")
    Organisation.objects.filter(pk=organisation.pk).update(kind="government", facet_values=[])

    refresh_facet_values([organisation.pk])

    assert "kind:government" in _values(organisation)


def _query(data):
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, [value])
    return query


def _brute_force(data, facet, value):
    """How many published organisations the directory lists for ``data`` with ``facet`` set
    to ``value`` (the meaning of a facet option's count)."""
    query = _query(data)
    query.setlist(facet, [*query.getlist(facet), value] if facet == "theme" else [value])
    filterset = DirectoryFilter(query)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "ngo"},
        {"kind": "ngo", "network_group": "gender"},
        {"kind": "diaspora", "network_group": "youth", "country": "SO", "city": "delft"},
        {"q": "peace", "theme": "youth", "country": "CD"},
        {"q": "peace", "kind": "diaspora", "network_group": "youth", "city": "the hague"},
        {"kind": "ngo", "country": "CD", "confirmed": "recent"},
    ],
)
def test_one_pass_counts_equal_what_each_option_would_list(data):
    groups = [NetworkGroupFactory(slug="gender"), NetworkGroupFactory(slug="youth")]
    combinations = itertools.product(
        ["ngo", "diaspora"], [["SO"], ["CD", "SO"], []], ["Delft", "The Hague"], [0, 1]
    )
    for index, (kind, countries, city, group) in enumerate(combinations):
        organisation = OrganisationFactory(
            kind=kind,
            countries=countries,
            city=city,
            summary="Peace work." if index % 3 else "Football.",
            themes=["Youth", "Media"][: index % 3],
        )
        organisation.network_groups.add(groups[group])
    OrganisationFactory(kind="ngo", status="pending", themes=["Youth"])
    filterset = DirectoryFilter(_query(data))
    assert filterset.is_valid(), filterset.errors

    counts = count_facets(filterset)

    assert counts["total"] == filterset.qs.count() > 0
    for facet, options in [
        ("kind", ["ngo", "diaspora", "government"]),
        ("network_group", ["gender", "youth"]),
        ("country", ["SO", "CD"]),
        ("city", ["delft", "the hague"]),
        ("theme", ["youth", "media"]),
    ]:
        for option in options:
            expected = _brute_force(data, facet, option)
            assert counts[facet].get(option, 0) == expected, (facet, option)


class EraFilter(DirectoryFilter):
    """A facet computed when searching (as one that depends on the day would be)."""

    era = django_filters.ChoiceFilter(
        choices=[("old", "old"), ("new", "new")], method="filter_facet"
    )
    single_choice_facets = (*DirectoryFilter.single_choice_facets, "era")

    def computed_facets(self):
        return {
            "era": Case(
                When(founded__lt=2000, then=Value("old")),
                default=Value("new"),
                output_field=CharField(),
            )
        }


def test_a_computed_facet_is_filtered_and_counted_in_the_same_pass():
    for kind, founded in [("ngo", 1990), ("ngo", 2010), ("diaspora", 1980), ("ngo", 1999)]:
        OrganisationFactory(kind=kind, founded=founded)
    filterset = EraFilter(_query({"kind": "ngo", "era": "old"}))
    assert filterset.is_valid(), filterset.errors

    counts = count_facets(filterset)

    assert counts["total"] == filterset.qs.count() == 2
    assert counts["era"] == {"old": 2, "new": 1}  # Among NGOs, without the chosen era.
    assert counts["kind"] == {"ngo": 2, "diaspora": 1}  # Among old ones.
