"""Themes are a curated vocabulary named in every language: readers see their language,
search finds any language's name, and what registrants type outside it waits for staff."""

import pytest
from django.urls import reverse
from django.utils import translation

from organisations import services
from organisations.forms import OrganisationForm
from organisations.models import Capacity, NetworkGroup, Organisation, Theme, ThemeSuggestion
from tests.factories import OrganisationFactory, UserFactory
from tests.organisations.test_registration import registration

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")


@pytest.fixture
def youth():
    return Theme.objects.create(
        slug="youth", name_en="Youth", name_nl="Jongeren", name_fr="Jeunesse", name_ar="الشباب"
    )


def _read(client, url, language):
    """The page as a first-time reader whose browser asks for ``language`` gets it."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_theme_names_follow_the_readers_language(client, youth):
    organisation = OrganisationFactory(themes=[youth])

    url = organisation.get_absolute_url()
    pages = {code: _read(client, url, code) for code in ("nl", "fr", "ar")}

    assert "Jongeren" in pages["nl"]
    assert "Jeunesse" in pages["fr"]
    assert "الشباب" in pages["ar"]
    assert "Jeunesse" not in pages["nl"]


def test_the_directorys_theme_facet_is_named_in_the_readers_language(client, youth):
    OrganisationFactory(themes=[youth])

    dutch = _read(client, DIRECTORY, "nl")
    french = _read(client, DIRECTORY, "fr")

    assert "Jongeren" in dutch
    assert "Jeunesse" not in dutch
    assert "Jeunesse" in french
    assert "Jongeren" not in french


def test_capacities_and_groups_are_named_in_the_readers_language():
    capacity = Capacity.objects.create(slug="training", name_en="Training", name_fr="Formation")
    group = NetworkGroup.objects.create(
        slug="youth", name_en="Youth", name_nl="Jongeren", description_en="Young people."
    )

    with translation.override("fr"):
        assert (capacity.name, group.name, group.description) == (
            "Formation",
            "Youth",
            "Young people.",
        )
    with translation.override("nl"):
        assert (capacity.name, group.name) == ("Training", "Jongeren")


@pytest.mark.parametrize("query", ["Jongeren", "jeunesse", "Youth", "الشباب"])
def test_search_finds_a_themes_organisations_by_its_name_in_any_language(query, youth):
    themed = OrganisationFactory(name="Alpha", summary="Works in The Hague.", themes=[youth])
    OrganisationFactory(name="Beta", summary="Works in The Hague.")

    found = Organisation.objects.published().search(query, correct=False)

    assert list(found.values_list("pk", flat=True)) == [themed.pk]


def test_a_typed_theme_in_any_language_is_the_vocabularys_theme(youth):
    themes, unknown = services.resolve_themes(["JEUNESSE", "jongeren", "Water", "water"])

    assert themes == [youth]
    assert unknown == ["Water"]


def test_an_unknown_theme_waits_for_staff_and_is_no_public_facet(client, youth):
    organisation = OrganisationFactory(themes=[])
    person = UserFactory()

    services.set_themes(target=organisation, names=["Youth", "Water"], by=person)

    assert list(organisation.themes.all()) == [youth]
    suggestion = ThemeSuggestion.objects.get()
    assert (suggestion.name, suggestion.content_object, suggestion.suggested_by) == (
        "Water",
        organisation,
        person,
    )
    assert not Theme.objects.filter(name_en__iexact="water").exists()
    assert "Water" not in client.get(DIRECTORY).content.decode()


def test_staff_accept_a_suggestion_and_its_organisation_gets_the_new_theme(youth):
    organisation = OrganisationFactory(themes=[])
    services.set_themes(target=organisation, names=["Water"])
    staff = UserFactory(is_staff=True)

    themes = services.accept_suggestions(suggestions=ThemeSuggestion.objects.all(), by=staff)

    theme = Theme.objects.get(name_en="Water")
    assert themes == [theme]
    assert list(Organisation.objects.get(pk=organisation.pk).themes.all()) == [theme]
    assert "theme:water" in Organisation.objects.get(pk=organisation.pk).facet_values
    assert not ThemeSuggestion.objects.exists()


def test_staff_map_a_suggestion_onto_an_existing_theme_in_the_admin(admin_client, youth):
    organisation = OrganisationFactory(themes=[])
    services.set_themes(target=organisation, names=["Young people"])
    suggestion = ThemeSuggestion.objects.get()
    url = reverse("admin:organisations_themesuggestion_changelist")

    response = admin_client.post(
        url,
        {
            "action": "map_onto_theme",
            "_selected_action": [suggestion.pk],
            "theme": youth.pk,
            "apply": "1",
        },
    )

    assert response.status_code == 302
    assert list(Organisation.objects.get(pk=organisation.pk).themes.all()) == [youth]
    assert not ThemeSuggestion.objects.exists()
    assert Theme.objects.count() == 1


# Content in more than one language -------------------------------------------------------


def test_registering_keeps_the_original_in_its_language_and_each_translation_in_its_own(
    client,
):
    client.force_login(UserFactory())

    response = client.post(
        reverse("organisations:register"),
        registration(
            language="fr",
            summary="Des femmes de la diaspora congolaise construisent la paix.",
            summary_en="Congolese diaspora women building peace.",
            description="",
        ),
    )

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Tosangana Peace Circle")
    assert organisation.language == "fr"
    assert organisation.summary_fr == "Des femmes de la diaspora congolaise construisent la paix."
    assert organisation.summary_en == "Congolese diaspora women building peace."
    assert organisation.summary_nl is None


def test_a_translation_in_the_originals_own_language_is_refused_and_nothing_is_saved(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("organisations:register"),
        registration(language="en", summary="Building peace.", summary_en="Something else."),
    )

    assert response.status_code == 200
    assert "summary_en" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_readers_see_their_language_else_the_original_marked_with_its_language(client):
    organisation = OrganisationFactory(
        summary="Works for peace.", description="A longer text.", language="en"
    )
    organisation.summary_fr = "Œuvre pour la paix."
    organisation.save()
    url = organisation.get_absolute_url()

    french = _read(client, url, "fr")
    dutch = _read(client, url, "nl")

    assert '<p class="lead" dir="auto">Œuvre pour la paix.</p>' in french
    assert '<p class="lead" dir="auto" lang="en">Works for peace.</p>' in dutch
    # The description has no French: the original, marked as English.
    assert '<div dir="auto" lang="en"><p>A longer text.</p></div>' in french


def test_search_finds_an_organisation_by_a_word_of_any_languages_summary():
    organisation = OrganisationFactory(name="Alpha", summary="Works for peace.")
    organisation.summary_fr = "Médiation de quartier à Kinshasa."
    organisation.summary_ar = "الوساطة المجتمعية"
    organisation.save()
    OrganisationFactory(name="Beta", summary="Works for peace.")

    for query in ("quartier", "المجتمعية"):
        found = Organisation.objects.published().search(query, correct=False)
        assert list(found.values_list("pk", flat=True)) == [organisation.pk], query


def test_the_edit_form_names_themes_in_the_readers_language_with_those_still_waiting(youth):
    organisation = OrganisationFactory(themes=[])
    services.set_themes(target=organisation, names=["Youth", "Water"])

    with translation.override("nl"):
        form = OrganisationForm(instance=organisation)
        field = str(form["themes"])

    assert 'value="Jongeren, Water"' in field
