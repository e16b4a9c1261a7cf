import pytest

from organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _slugs(queryset):
    return list(queryset.order_by("-rank", "name").values_list("slug", flat=True))


def test_search_excludes_words_with_a_minus():
    OrganisationFactory(name="Youth Dialogue", slug="youth-dialogue", summary="Dialogue.")
    OrganisationFactory(name="Women Dialogue", slug="women-dialogue", summary="Dialogue.")

    found = _slugs(Organisation.objects.search("dialogue -women"))

    assert found == ["youth-dialogue"]


def test_search_quoted_phrase_needs_the_words_together():
    OrganisationFactory(name="Peace Brigades", slug="brigades", summary="Protection.")
    OrganisationFactory(name="Brigades for Peace", slug="other", summary="Protection.")

    found = _slugs(Organisation.objects.search('"peace brigades"'))

    assert found == ["brigades"]


def test_search_ranks_a_name_match_above_a_description_match():
    OrganisationFactory(
        name="Helpers of Quiet Rivers", slug="rivers", description="Talks about mediation."
    )
    OrganisationFactory(name="Mediation Centre", slug="mediation-centre", description="Talks.")

    found = _slugs(Organisation.objects.search("mediation"))

    assert found == ["mediation-centre", "rivers"]


def test_search_ranks_a_summary_match_above_a_description_match():
    OrganisationFactory(name="Alpha", slug="alpha", summary="Works.", description="Radio shows.")
    OrganisationFactory(name="Beta", slug="beta", summary="Community radio.", description="")

    found = _slugs(Organisation.objects.search("radio"))

    assert found == ["beta", "alpha"]


def test_search_finds_organisations_by_theme_name():
    OrganisationFactory(name="Alpha", slug="alpha", themes=["Transitional justice"])
    OrganisationFactory(name="Beta", slug="beta")

    found = _slugs(Organisation.objects.search("transitional justice"))

    assert found == ["alpha"]


def test_search_with_an_empty_query_keeps_everything():
    OrganisationFactory.create_batch(3)

    assert Organisation.objects.search("   ").count() == 3


def test_search_with_only_operators_is_no_search():
    OrganisationFactory.create_batch(2)

    assert Organisation.objects.search('"" - & | ! <> :*').count() == 2


@pytest.mark.postgres
def test_search_document_follows_edits_on_postgresql():
    organisation = OrganisationFactory(name="Alpha", summary="Works.")

    organisation.summary = "Builds bridges with the Eritrean diaspora."
    organisation.save()

    assert list(Organisation.objects.search("eritrean")) == [organisation]
