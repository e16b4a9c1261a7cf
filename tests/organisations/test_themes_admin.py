"""Staff keep the theme vocabulary in the admin, in every language, not as taggit's tags."""

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import Organisation, Theme
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:organisations_theme_changelist")


def test_admin_home_lists_themes_and_not_taggit(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()

    assert f'<a href="{CHANGELIST}"' in html
    assert ">Themes</a>" in html
    assert "Taggit" not in html
    assert "/admin/taggit/" not in html


def test_admin_home_names_themes_in_dutch(admin_client):
    admin_client.cookies["django_language"] = "nl"  # chosen: the plain address leads to /nl/

    html = admin_client.get(reverse("admin:index"), follow=True).content.decode()

    assert ">Thema&#x27;s</a>" in html or ">Thema's</a>" in html


def test_theme_list_shows_each_theme_with_how_often_it_is_used(admin_client):
    OrganisationFactory(themes=["Mediation", "Youth"])
    OrganisationFactory(themes=["Youth"])

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    uses = {theme.name: theme.use_count for theme in response.context["cl"].result_list}
    assert uses == {"Mediation": 1, "Youth": 2}


def test_renaming_a_theme_in_the_admin_renames_it_for_its_organisations(admin_client):
    organisation = OrganisationFactory(themes=["Youth"])
    theme = Theme.objects.get(slug="youth")

    response = admin_client.post(
        reverse("admin:organisations_theme_change", args=[theme.pk]),
        {"name_en": "Young people", "name_nl": "Jongeren", "slug": "young-people"},
    )

    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert [theme.name for theme in organisation.themes.all()] == ["Young people"]
    with translation.override("nl"):
        assert [theme.name for theme in organisation.themes.all()] == ["Jongeren"]
    # The directory's stored facet values follow the new slug.
    assert "theme:young-people" in organisation.facet_values
    assert "theme:youth" not in organisation.facet_values


def test_the_organisation_forms_theme_picker_still_finds_themes(admin_client):
    OrganisationFactory(themes=["Mediation", "Youth"])

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "organisations",
            "model_name": "themeditem",
            "field_name": "tag",
            "term": "medi",
        },
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Mediation"]


def test_the_theme_names_are_translated():
    with translation.override("nl"):
        assert str(Theme._meta.verbose_name_plural) == "thema's"
