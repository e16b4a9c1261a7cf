import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from organisations.facets import refresh_facet_values
from organisations.models import Organisation, Visibility
from organisations.search import SEARCH_INDEXES
from tests.factories import NetworkGroupFactory

pytestmark = pytest.mark.django_db


def test_create_synthetic_organisations_creates_them_with_themes_and_groups():
    gender = NetworkGroupFactory(slug="gender")

    call_command("create_synthetic_organisations", "30", stdout=io.StringIO())

    created = Organisation.objects.filter(slug__startswith="synthetic-")
    assert created.count() == 30
    assert all("(synthetic " in name for name in created.values_list("name", flat=True))
    assert all(o.themes.exists() for o in created)
    themed_gender = created.filter(tagged_items__tag__slug="gender")
    assert set(themed_gender) == set(gender.organisations.all())
    # The facet values written with the rows are those their relations make.
    written = dict(created.values_list("pk", "facet_values"))
    refresh_facet_values(written)
    assert dict(created.values_list("pk", "facet_values")) == written
    assert all("network_group:gender" in written[o.pk] for o in themed_gender)


def test_create_synthetic_organisations_twice_adds_more_without_clashes():
    call_command("create_synthetic_organisations", "5", stdout=io.StringIO())

    call_command("create_synthetic_organisations", "5", stdout=io.StringIO())

    assert Organisation.objects.filter(slug__startswith="synthetic-").count() == 10


def test_create_synthetic_organisations_refuses_a_silly_count():
    with pytest.raises(CommandError):
        call_command("create_synthetic_organisations", "0", stdout=io.StringIO())


def test_synthetic_organisations_show_at_once_in_the_cached_directory(
    client, django_capture_on_commit_callbacks
):
    client.get(reverse("organisations:directory"))  # Cached for visitors.

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_synthetic_organisations", "3", "--published-share", "1", stdout=io.StringIO()
        )

    assert "3 organisations" in client.get(reverse("organisations:directory")).content.decode()


@pytest.mark.postgres
def test_synthetic_organisations_are_searchable_with_the_indexes_rebuilt():
    call_command("create_synthetic_organisations", "20", stdout=io.StringIO())
    first = Organisation.objects.filter(slug__startswith="synthetic-").earliest("pk")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s",
            [Organisation._meta.db_table],
        )
        indexes = {name for (name,) in cursor.fetchall()}
    assert set(SEARCH_INDEXES) <= indexes
    community = first.name.split()[0]
    assert first in Organisation.objects.search(community)
    assert first.created is not None  # The ORM's defaults fill what the rows leave out.
    assert first.email_visibility == Visibility.ADMINS
