"""The directory's filter form: built once per set of options, each filter its own copy."""

import django_filters
import pytest
from django.http import QueryDict
from django.utils import translation

from organisations import filters
from organisations.filters import DirectoryFilter
from tests.factories import NetworkGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_form_classes(monkeypatch):
    monkeypatch.setattr(filters, "_form_classes", {})


def test_filters_with_the_same_options_share_a_form_class_but_not_its_fields():
    NetworkGroupFactory(slug="youth", name="Youth")
    first = DirectoryFilter(QueryDict("network_group=youth"))
    second = DirectoryFilter(QueryDict("network_group=nobody"))

    assert type(first.form) is type(second.form)
    assert first.is_valid()
    assert not second.is_valid()
    assert "network_group" in second.form.errors
    # Each form has fields of its own: changing one leaves the other as it was.
    first.form.fields["q"].widget.attrs["data-mark"] = "first"
    assert "data-mark" not in second.form.fields["q"].widget.attrs
    assert "data-mark" not in DirectoryFilter(QueryDict()).form.fields["q"].widget.attrs


def test_a_new_network_group_makes_a_new_form_that_accepts_it(committed):
    NetworkGroupFactory(slug="youth", name="Youth")
    before = DirectoryFilter(QueryDict("network_group=gender"))
    assert not before.is_valid()

    with committed():
        NetworkGroupFactory(slug="gender", name="Gender")
    after = DirectoryFilter(QueryDict("network_group=gender"))

    assert after.is_valid()
    assert type(after.form) is not type(before.form)
    assert ("gender", "Gender") in after.form.fields["network_group"].choices


def test_each_language_has_its_form_with_the_groups_named_in_it():
    group = NetworkGroupFactory(slug="youth", name_en="Youth", name_nl="Jongeren")
    with translation.override("nl"):
        dutch = DirectoryFilter(QueryDict()).form
    with translation.override("en"):
        english = DirectoryFilter(QueryDict()).form

    assert (group.slug, "Jongeren") in dutch.fields["network_group"].choices
    assert (group.slug, "Youth") in english.fields["network_group"].choices


def test_no_more_form_classes_are_kept_than_the_limit(monkeypatch, committed):
    monkeypatch.setattr(filters, "MAX_FORM_CLASSES", 2)
    for index in range(3):
        with committed():
            NetworkGroupFactory(slug=f"group-{index}", name=f"Group {index}")
        assert DirectoryFilter(QueryDict(f"network_group=group-{index}")).is_valid()
        assert len(filters._form_classes) <= 2


class WithEra(DirectoryFilter):
    era = django_filters.ChoiceFilter(choices=[("old", "old"), ("new", "new")])


def test_a_filter_set_of_its_own_class_has_its_own_form():
    plain = DirectoryFilter(QueryDict("era=old"))
    with_era = WithEra(QueryDict("era=old"))

    assert plain.is_valid()
    assert with_era.is_valid()
    assert "era" not in plain.form.fields
    assert with_era.form.cleaned_data["era"] == "old"
    assert not WithEra(QueryDict("era=future")).is_valid()


def test_each_filter_set_has_filters_of_its_own_that_find_it():
    first = DirectoryFilter(QueryDict("q=peace"))
    second = DirectoryFilter(QueryDict("q=justice"))

    for name, base in DirectoryFilter.base_filters.items():
        assert first.filters[name] is not base
        assert first.filters[name] is not second.filters[name]
        assert first.filters[name].extra is not second.filters[name].extra
        assert first.filters[name].parent is first
    # A filter with a method finds it on its own filter set, not on another's.
    assert first.filters["q"].filter.f is first.filters["q"]
    assert second.filters["q"].filter.f.parent is second
    # The options a filter set sets are its own.
    first.filters["theme"].extra["choices"] = [("mine", "Mine")]
    assert ("mine", "Mine") not in second.filters["theme"].extra["choices"]
    assert "choices" not in DirectoryFilter.base_filters["theme"].extra
    assert first.is_valid()
    assert second.is_valid()
    assert first.qs.query is not second.qs.query


def test_forms_share_their_choices_but_not_their_fields():
    first = DirectoryFilter(QueryDict("kind=ngo")).form
    second = DirectoryFilter(QueryDict("kind=diaspora")).form

    assert first.fields["kind"] is not second.fields["kind"]
    assert first.fields["kind"].widget is not second.fields["kind"].widget
    # Copying the choices (and their translated texts) for every form was half of making it.
    assert first.fields["kind"]._choices is second.fields["kind"]._choices
    assert first.is_valid()
    assert second.is_valid()
    assert (first.cleaned_data["kind"], second.cleaned_data["kind"]) == ("ngo", "diaspora")
    # A form whose choices are replaced keeps the others' as they were.
    first.fields["kind"].choices = [("ngo", "NGO")]
    assert len(second.fields["kind"].choices) > 1
    assert len(second.fields["kind"].widget.choices) > 1
