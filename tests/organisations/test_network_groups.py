import pytest
from django.urls import reverse

from tests.factories import AnnouncementFactory, NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    facilitator = OrganisationFactory(name="WO=MEN Dutch Gender Platform", slug="wo-men")
    group = NetworkGroupFactory(
        name="Gender",
        slug="gender",
        tagline="Women, peace and security",
        description="Organisations working on UNSCR 1325.",
        facilitator=facilitator,
    )
    group.organisations.add(facilitator)
    return group


def test_network_groups_lists_groups_with_facilitator_and_member_count(client, group):
    group.organisations.add(OrganisationFactory(status="pending"))

    html = client.get(reverse("organisations:network_groups")).content.decode()

    assert 'href="/network-groups/gender/"' in html
    assert "Women, peace and security" in html
    assert 'href="/organisations/wo-men/">WO=MEN Dutch Gender Platform</a>' in html
    assert '<a href="/organisations/?network_group=gender">1 member organisation</a>' in html


def test_network_group_page_shows_what_it_is_about_and_its_facilitator(client, group):
    html = client.get(group.get_absolute_url()).content.decode()

    assert "<h1>Gender</h1>" in html
    assert "Organisations working on UNSCR 1325." in html
    assert "Facilitated by" in html
    assert 'href="/organisations/wo-men/"' in html


def test_network_group_lists_published_members_linked_and_filterable(client, group):
    member = OrganisationFactory(name="Tosangana", slug="tosangana")
    hidden = OrganisationFactory(name="Pending Group Member", status="pending")
    group.organisations.add(member, hidden)

    html = client.get(group.get_absolute_url()).content.decode()

    assert 'href="/organisations/tosangana/"' in html
    assert "Pending Group Member" not in html
    assert 'href="/organisations/?network_group=gender"' in html
    assert "2 organisations are members." in html


def test_network_group_links_to_the_directory_when_it_has_more_members_than_shown(client, group):
    group.organisations.add(*OrganisationFactory.create_batch(31))

    html = client.get(group.get_absolute_url()).content.decode()

    assert "See all 32 member organisations" in html
    assert html.count('class="card-title"') == 30


def test_network_group_has_places_for_events_and_partnerships(client, group):
    html = client.get(group.get_absolute_url()).content.decode()

    assert 'id="events-heading"' in html
    assert 'id="partnerships-heading"' in html
    assert "No events of this group on PeaceNet yet." in html


def test_network_group_without_members_says_so(client):
    group = NetworkGroupFactory()

    html = client.get(group.get_absolute_url()).content.decode()

    assert "No member organisations yet." in html


def test_network_group_unknown_slug_answers_404(client):
    assert client.get("/network-groups/no-such-group/").status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_network_group_page_query_count_is_fixed(client, django_assert_num_queries, count):
    group = NetworkGroupFactory(facilitator=OrganisationFactory())
    group.organisations.add(*OrganisationFactory.create_batch(count))
    AnnouncementFactory.create_batch(count, group=group)

    # The group with its facilitator, its events and sessions, the members shown with
    # their number, the group's proposals and its announcements.
    with django_assert_num_queries(6):
        response = client.get(group.get_absolute_url())

    assert response.status_code == 200


def test_network_group_page_shows_a_new_member_at_once(
    client, group, django_capture_on_commit_callbacks
):
    client.get(group.get_absolute_url())  # Caches the page, its counts and its members.
    with django_capture_on_commit_callbacks(execute=True):  # committed
        newcomer = OrganisationFactory(name="Newcomer", status="pending")
        group.organisations.add(newcomer)
        newcomer.status = "published"
        newcomer.save()

    html = client.get(group.get_absolute_url()).content.decode()

    assert "2 organisations are members." in html
    assert "Newcomer" in html


@pytest.mark.parametrize("count", [1, 30])
def test_network_groups_page_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        NetworkGroupFactory(facilitator=OrganisationFactory()).organisations.add(
            OrganisationFactory()
        )

    # The groups with their facilitators, and the members' numbers per group.
    with django_assert_num_queries(2):
        response = client.get(reverse("organisations:network_groups"))

    assert response.status_code == 200
