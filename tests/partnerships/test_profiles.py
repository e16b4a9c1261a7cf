"""The partnerships shown on organisation profiles and network-group pages."""

import pytest

from partnerships.models import Answer, ProposalStatus
from peacenet.lib.caching import content_changed
from tests.factories import NetworkGroupFactory, OrganisationFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def test_profile_lists_current_and_past_partnerships_only(client):
    organisation = OrganisationFactory()
    ProposalFactory(title="We lead this", lead_participant=organisation)
    joined = ProposalFactory(title="We joined this", status=ProposalStatus.ACTIVE)
    ParticipantFactory(proposal=joined, organisation=organisation, answer=Answer.ACCEPTED)
    done = ProposalFactory(title="Finished work", status=ProposalStatus.COMPLETED)
    ParticipantFactory(proposal=done, organisation=organisation, answer=Answer.ACCEPTED)
    for title, answer, extra in [
        ("We said no", Answer.DECLINED, {}),
        ("Only invited", Answer.INVITED, {}),
        ("Hidden one", Answer.ACCEPTED, {"is_hidden": True, "hidden_reason": "Spam."}),
    ]:
        ParticipantFactory(
            proposal=ProposalFactory(title=title, **extra),
            organisation=organisation,
            answer=answer,
        )
    ProposalFactory(title="A draft", lead_participant=None, status=ProposalStatus.DRAFT)

    body = client.get(organisation.get_absolute_url()).content.decode()

    section = body[body.index('id="partnerships"') :]
    current = section[section.index("Current partnerships") : section.index("Past partnerships")]
    assert "We lead this" in current
    assert "We joined this" in current
    assert "Finished work" in section[section.index("Past partnerships") :]
    for title in ("We said no", "Only invited", "Hidden one"):
        assert title not in body


def test_profile_without_partnerships_invites_to_see_open_proposals(client):
    organisation = OrganisationFactory(name="Quiet Org")

    body = client.get(organisation.get_absolute_url()).content.decode()

    assert "Quiet Org is not in a partnership on PeaceNet yet." in body


@pytest.mark.parametrize("rows", [1, 10])
def test_profile_query_count_does_not_grow_with_partnerships(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, rows
):
    organisation = OrganisationFactory()
    for _ in range(rows):
        ParticipantFactory(organisation=organisation, answer=Answer.ACCEPTED)
    client.get(organisation.get_absolute_url())  # Warm caches such as content types.
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()  # The visitors' copy is out of date: the page is rendered again.

    with django_assert_num_queries(8):
        response = client.get(organisation.get_absolute_url())

    assert response.content.decode().count("badge-status-open") == rows


def test_network_group_page_lists_the_groups_public_proposals(client):
    group = NetworkGroupFactory()
    ProposalFactory(title="Gender dialogue", network_group=group)
    ProposalFactory(title="Draft dialogue", network_group=group, status=ProposalStatus.DRAFT)
    ProposalFactory(title="Other group's dialogue")

    body = client.get(group.get_absolute_url()).content.decode()

    assert "Gender dialogue" in body
    assert "Draft dialogue" not in body
    assert "Other group's dialogue" not in body
