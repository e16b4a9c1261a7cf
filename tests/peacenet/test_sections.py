"""The apps above organisations and events fill their pages' sections, and every app's
models make the cached pages out of date when they change."""

import re

import pytest

from events.sections import FOLLOW_UP
from organisations import sections
from organisations.models import Capacity, Theme
from peacenet.lib.caching import GENERATION_KEY, page_cache
from tests.events.factories import EventFactory, FollowUpFactory
from tests.factories import NetworkGroupFactory, OrganisationFactory
from tests.partnerships.factories import ProposalFactory

SECTION = re.compile(r'<section aria-labelledby="[^"]+" class="profile-section" id="([^"]+)"')


def test_each_app_adds_its_sections_in_order():
    assert [s.id for s in sections.PROFILE] == ["partnerships", "events"]
    assert [s.id for s in sections.GROUP] == ["events", "partnerships"]
    assert [s.id for s in FOLLOW_UP] == ["partnerships"]


@pytest.mark.django_db
def test_profile_and_group_pages_show_the_sections_of_the_apps_above(client):
    group = NetworkGroupFactory()
    organisation = OrganisationFactory()

    profile = client.get(organisation.get_absolute_url()).content.decode()
    group_page = client.get(group.get_absolute_url()).content.decode()

    assert SECTION.findall(profile) == ["partnerships", "events"]
    assert SECTION.findall(group_page) == ["events", "partnerships"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "create",
    [
        lambda: Theme.objects.create(name_en="Mediation", slug="mediation"),
        lambda: Capacity.objects.create(name="Training", slug="training"),
        lambda: OrganisationFactory(),
        lambda: FollowUpFactory(event=EventFactory()),
        lambda: ProposalFactory(),
    ],
    ids=["themes", "organisations", "organisation", "events", "partnerships"],
)
def test_a_change_to_any_apps_content_starts_a_new_generation(
    create, django_capture_on_commit_callbacks
):
    page_cache().set(GENERATION_KEY, "before", None)

    with django_capture_on_commit_callbacks(execute=True):
        create()

    assert page_cache().get(GENERATION_KEY) not in (None, "before")
