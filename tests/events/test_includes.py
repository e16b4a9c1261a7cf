"""The Events sections of organisation profiles and network-group pages."""

import pytest

from tests.events.factories import (
    CoOrganiserFactory,
    EventFactory,
    SessionFactory,
    SpeakerFactory,
)
from tests.factories import NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _events_in_every_role(organisation, group):
    """One event per way an organisation or group takes part in events."""
    EventFactory(organiser=organisation, title="Organised seminar", network_groups=[group])
    CoOrganiserFactory(organisation=organisation, event=EventFactory(title="Co-organised day"))
    SessionFactory(
        facilitator=organisation,
        network_group=group,
        title="Breakout it facilitated",
        event=EventFactory(title="Facilitated conference", past=True),
    )
    SpeakerFactory(
        organisation=organisation,
        session=SessionFactory(title="Talk it gave", event=EventFactory(title="Spoken workshop")),
    )


def _section(html, section_id="events"):
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_profile_lists_events_in_every_role_once(client):
    organisation = OrganisationFactory()
    _events_in_every_role(organisation, NetworkGroupFactory())
    SpeakerFactory(organisation=organisation, session=SessionFactory(facilitator=organisation))

    response = client.get(organisation.get_absolute_url())

    section = _section(response.text)
    for title in ("Organised seminar", "Co-organised day", "Facilitated conference"):
        assert section.count(f">{title}</a>") == 1
    assert "Breakout it facilitated" in section
    assert "Talk it gave" in section
    assert section.index("Organised seminar") < section.index("Facilitated conference")


def test_profile_hides_unpublished_events(client):
    organisation = OrganisationFactory()
    EventFactory(organiser=organisation, title="Draft planning meeting", is_published=False)

    response = client.get(organisation.get_absolute_url())

    assert "Draft planning meeting" not in response.text
    assert "No events with" in _section(response.text)


def test_profile_query_count_does_not_grow_with_events(client, django_assert_num_queries):
    one = OrganisationFactory()
    _events_in_every_role(one, NetworkGroupFactory())
    many = OrganisationFactory()
    for _ in range(4):
        _events_in_every_role(many, NetworkGroupFactory())

    with django_assert_num_queries(8):
        client.get(one.get_absolute_url())
    with django_assert_num_queries(8):
        client.get(many.get_absolute_url())


def test_group_page_lists_tagged_events_and_sessions_of_the_group(client):
    group = NetworkGroupFactory()
    _events_in_every_role(OrganisationFactory(), group)
    EventFactory(title="Other group's meeting", network_groups=[NetworkGroupFactory()])
    EventFactory(title="Hidden group meeting", network_groups=[group], is_published=False)

    response = client.get(group.get_absolute_url())

    section = _section(response.text)
    assert "Organised seminar" in section
    assert "Facilitated conference" in section
    assert "Breakout it facilitated" in section
    assert "Other group's meeting" not in section
    assert "Hidden group meeting" not in section
    assert f"?network_group={group.slug}" in section


def test_group_page_query_count_does_not_grow_with_events(client, django_assert_num_queries):
    one = NetworkGroupFactory()
    _events_in_every_role(OrganisationFactory(), one)
    many = NetworkGroupFactory()
    for _ in range(5):
        _events_in_every_role(OrganisationFactory(), many)

    with django_assert_num_queries(7):
        client.get(one.get_absolute_url())
    with django_assert_num_queries(7):
        client.get(many.get_absolute_url())
