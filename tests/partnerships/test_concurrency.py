"""Two members answering the same proposal at the same moment (PostgreSQL: real row locks)."""

import pytest

from partnerships import services
from partnerships.models import Answer, Participant, ProposalStatus, StatusChange
from peacenet.lib.errors import DomainError
from tests.concurrency import at_the_same_moment
from tests.factories import OrganisationFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_partners_accepting_at_once_leave_one_consistent_history():
    lead, b, c = (
        OrganisationFactory(),
        OrganisationFactory(slug="b"),
        OrganisationFactory(slug="c"),
    )
    proposal = ProposalFactory(lead_participant=lead, status=ProposalStatus.OPEN)
    b_invitation = ParticipantFactory(proposal=proposal, organisation=b)
    c_invitation = ParticipantFactory(proposal=proposal, organisation=c)
    b_member, c_member = member_of(b), member_of(c)

    for _ in range(3):  # A few rounds: a race that is lost once shows up.
        errors = at_the_same_moment(
            lambda: services.answer_invitation(participant=b_invitation, by=b_member, accept=True),
            lambda: services.answer_invitation(participant=c_invitation, by=c_member, accept=True),
        )

        assert errors == []
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.ACTIVE
        steps = list(
            StatusChange.objects.filter(proposal=proposal, organisation=None).values_list(
                "from_status", "to_status"
            )
        )
        assert steps == [("open", "forming"), ("forming", "active")]
        assert set(Participant.objects.values_list("answer", flat=True)) == {Answer.ACCEPTED}
        # Reset for the next round.
        StatusChange.objects.all().delete()
        Participant.objects.filter(pk__in=[b_invitation.pk, c_invitation.pk]).update(
            answer=Answer.INVITED
        )
        proposal.status = ProposalStatus.OPEN
        proposal.save()


def test_two_members_expressing_interest_for_one_organisation_at_once_make_one_participant():
    proposal = ProposalFactory(is_open_call=True)
    d = OrganisationFactory()
    first, second = member_of(d), member_of(d)

    errors = at_the_same_moment(
        lambda: services.express_interest(proposal=proposal, organisation=d, by=first),
        lambda: services.express_interest(proposal=proposal, organisation=d, by=second),
    )

    assert len(errors) == 1
    assert isinstance(errors[0], DomainError)
    assert Participant.objects.filter(proposal=proposal, organisation=d).count() == 1
