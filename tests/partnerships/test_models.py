import pytest
from django.db import IntegrityError, transaction

from partnerships.models import (
    Answer,
    Participant,
    ParticipantRole,
    PartnershipProposal,
    ProposalStatus,
    StatusChange,
)
from tests.accounts import with_second_factor
from tests.factories import OrganisationFactory, UserFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = pytest.mark.django_db


def _violates(name, create, sqlite_unique_columns=None):
    """``create()`` fails on the constraint ``name``. SQLite names the columns of a failed
    unique constraint instead of the constraint."""
    pattern = name
    if sqlite_unique_columns:
        pattern += (
            "|UNIQUE constraint failed: "
            + ", ".join(f"partnerships_participant.{column}" for column in sqlite_unique_columns)
            + "$"
        )
    with pytest.raises(IntegrityError, match=pattern), transaction.atomic():
        create()


def test_proposal_status_outside_the_choices_is_refused():
    proposal = ProposalFactory()

    _violates(
        "proposal_status_valid",
        lambda: PartnershipProposal.objects.filter(pk=proposal.pk).update(status="approved"),
    )


def test_hiding_a_proposal_without_a_reason_is_refused():
    proposal = ProposalFactory()

    _violates(
        "proposal_hidden_has_reason",
        lambda: PartnershipProposal.objects.filter(pk=proposal.pk).update(is_hidden=True),
    )


def test_a_second_lead_is_refused():
    proposal = ProposalFactory()

    _violates(
        "participant_one_lead_per_proposal",
        lambda: ParticipantFactory(
            proposal=proposal, role=ParticipantRole.LEAD, answer=Answer.ACCEPTED
        ),
        sqlite_unique_columns=["proposal_id"],
    )


def test_an_organisation_takes_part_once_per_proposal():
    proposal = ProposalFactory()
    organisation = OrganisationFactory()
    ParticipantFactory(proposal=proposal, organisation=organisation)

    _violates(
        "participant_one_per_organisation",
        lambda: ParticipantFactory(proposal=proposal, organisation=organisation),
        sqlite_unique_columns=["proposal_id", "organisation_id"],
    )


@pytest.mark.parametrize(
    ("field", "value", "name"),
    [
        ("role", "observer", "participant_role_valid"),
        ("answer", "maybe", "participant_answer_valid"),
    ],
)
def test_participant_values_outside_the_choices_are_refused(field, value, name):
    participant = ParticipantFactory()

    _violates(name, lambda: Participant.objects.filter(pk=participant.pk).update(**{field: value}))


def test_a_lead_that_has_not_accepted_is_refused():
    proposal = ProposalFactory()

    _violates(
        "participant_lead_has_accepted",
        lambda: Participant.objects.filter(proposal=proposal).update(answer=Answer.INVITED),
    )


def test_status_change_must_use_the_statuses_of_its_subject():
    proposal = ProposalFactory()

    _violates(
        "statuschange_statuses_valid",
        lambda: StatusChange.objects.create(proposal=proposal, to_status="accepted"),
    )


def test_visible_to_hides_drafts_and_hidden_proposals_from_outsiders():
    lead = OrganisationFactory()
    public = ProposalFactory(lead_participant=lead)
    draft = ProposalFactory(lead_participant=lead, status=ProposalStatus.DRAFT)
    hidden = ProposalFactory(lead_participant=lead, is_hidden=True, hidden_reason="Spam.")
    invited = ParticipantFactory(proposal=draft).organisation
    anonymous = type("Anonymous", (), {"is_authenticated": False})()

    def visible(user):
        return set(PartnershipProposal.objects.visible_to(user))

    assert visible(anonymous) == {public}
    assert visible(member_of(OrganisationFactory())) == {public}
    assert visible(member_of(invited)) == {public}
    assert visible(member_of(lead)) == {public, draft, hidden}
    assert visible(with_second_factor(UserFactory(is_staff=True))) == {public, draft, hidden}
    # Without a second factor in the session, staff are plain members.
    assert visible(UserFactory(is_staff=True)) == {public}


def test_open_calls_are_public_recruiting_open_calls():
    call = ProposalFactory(is_open_call=True, status=ProposalStatus.OPEN)
    active_call = ProposalFactory(is_open_call=True, status=ProposalStatus.ACTIVE)
    ProposalFactory(is_open_call=False)
    ProposalFactory(is_open_call=True, status=ProposalStatus.DRAFT)
    ProposalFactory(is_open_call=True, status=ProposalStatus.COMPLETED)
    ProposalFactory(is_open_call=True, is_hidden=True, hidden_reason="Spam.")

    assert set(PartnershipProposal.objects.open_calls()) == {call, active_call}


def test_search_matches_every_word_in_text_or_themes_in_any_case():
    youth = ProposalFactory(title="Young mediators", themes=["Youth"])
    ProposalFactory(title="Women mediators", themes=["Gender"])

    assert list(PartnershipProposal.objects.search("MEDIATORS youth")) == [youth]
    assert PartnershipProposal.objects.search("mediators").count() == 2


def test_search_reads_the_query_like_the_directory_and_ranks_titles_first():
    in_title = ProposalFactory(title="Radio for peace", summary="Weekly shows.")
    in_summary = ProposalFactory(title="Weekly shows", summary="On the radio.")
    ProposalFactory(title="Radio for war", summary="Not this one.")

    found = PartnershipProposal.objects.search("radio -war").order_by("-rank")

    assert list(found) == [in_title, in_summary]


def test_open_calls_first_orders_recruiting_open_calls_before_newer_proposals():
    call = ProposalFactory(is_open_call=True)
    newer = ProposalFactory()

    assert list(PartnershipProposal.objects.open_calls_first()) == [call, newer]
