import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from organisations.models import Theme
from partnerships import services
from partnerships.models import (
    Answer,
    Participant,
    PartnershipProposal,
    ProgressUpdate,
    ProposalStatus,
    StatusChange,
)
from peacenet.lib.errors import DomainError
from tests.accounts import with_second_factor
from tests.factories import OrganisationFactory, UserFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = pytest.mark.django_db


def _new_proposal(lead, partners, by, *, submit=True, **fields):
    proposal = PartnershipProposal(
        title=fields.pop("title", "Women, peace and security in Kinshasa"),
        summary="Working together on UNSCR 1325.",
        description="Why and how.",
        **fields,
    )
    return services.create_proposal(
        proposal=proposal, themes=["Gender"], lead=lead, partners=partners, by=by, submit=submit
    )


def _steps(proposal):
    return list(
        StatusChange.objects.filter(proposal=proposal).values_list(
            "organisation__slug", "from_status", "to_status"
        )
    )


def test_create_proposal_as_draft_records_lead_and_invitations_without_mail():
    Theme.objects.create(name_en="Gender", name_fr="Genre")
    lead, partner = OrganisationFactory(slug="lead"), OrganisationFactory(slug="partner")
    member_of(partner)
    by = member_of(lead)

    proposal = _new_proposal(lead, [partner], by, submit=False)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.slug == "women-peace-and-security-in-kinshasa"
    assert [theme.name_en for theme in proposal.themes.all()] == ["Gender"]
    answers = {p.organisation.slug: (p.role, p.answer) for p in proposal.participants.all()}
    assert answers == {"lead": ("lead", "accepted"), "partner": ("partner", "invited")}
    assert _steps(proposal) == [(None, "", "draft")]
    assert mail.outbox == []


def test_submit_proposal_opens_it_and_mails_invited_members(django_capture_on_commit_callbacks):
    lead, partner = OrganisationFactory(), OrganisationFactory()
    invitee = member_of(partner, email="invitee@example.org")
    by = member_of(lead)

    with django_capture_on_commit_callbacks(execute=True):
        proposal = _new_proposal(lead, [partner], by)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert _steps(proposal) == [(None, "", "draft"), (None, "draft", "open")]
    assert [m.to for m in mail.outbox] == [[invitee.email]]
    assert proposal.title in mail.outbox[0].subject
    assert proposal.get_absolute_url() in mail.outbox[0].body


def test_invitation_subject_is_plain_text_in_each_members_language(
    django_capture_on_commit_callbacks,
):
    lead = OrganisationFactory(name="Women's Peace Circle")
    partner = OrganisationFactory()
    member_of(partner, email="daan@example.org").remember_language("nl")
    member_of(partner, email="emma@example.org").remember_language("en")

    with django_capture_on_commit_callbacks(execute=True):
        _new_proposal(lead, [partner], member_of(lead), title="Women's voices")

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["emma@example.org"] == (
        "[PeaceNet] Women's Peace Circle invites you to a partnership: Women's voices"
    )
    assert subjects["daan@example.org"] == (
        "[PeaceNet] Women's Peace Circle nodigt u uit voor een partnerschap: Women's voices"
    )
    assert "&#x27;" not in "".join(m.body for m in mail.outbox)


def test_create_proposal_for_an_organisation_one_is_not_a_member_of_is_refused():
    lead, other = OrganisationFactory(), OrganisationFactory()
    outsider = member_of(other)

    with pytest.raises(PermissionDenied):
        _new_proposal(lead, [], outsider)

    assert not PartnershipProposal.objects.exists()


def test_create_proposal_for_a_pending_organisation_is_refused():
    lead = OrganisationFactory(status="pending")

    with pytest.raises(DomainError, match="not published"):
        _new_proposal(lead, [], member_of(lead))

    assert not PartnershipProposal.objects.exists()


def test_create_proposal_with_a_reserved_title_gets_another_slug():
    lead = OrganisationFactory()

    proposal = _new_proposal(lead, [], member_of(lead), title="Propose")

    assert proposal.slug == "propose-2"


def test_b_accepts_then_c_declines_makes_the_proposal_active_step_by_step():
    a, b, c = (OrganisationFactory(slug=s) for s in "abc")
    proposal = _new_proposal(a, [b, c], member_of(a))
    b_member, c_member = member_of(b), member_of(c)

    services.answer_invitation(
        participant=proposal.participants.get(organisation=b), by=b_member, accept=True
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.FORMING

    services.answer_invitation(
        participant=proposal.participants.get(organisation=c),
        by=c_member,
        accept=False,
        message="Not this year.",
    )

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACTIVE
    assert proposal.participants.get(organisation=c).message == "Not this year."
    assert _steps(proposal) == [
        (None, "", "draft"),
        (None, "draft", "open"),
        ("b", "invited", "accepted"),
        (None, "open", "forming"),
        ("c", "invited", "declined"),
        (None, "forming", "active"),
    ]


def test_all_invited_decline_leaves_the_proposal_open():
    a, b = OrganisationFactory(), OrganisationFactory()
    proposal = _new_proposal(a, [b], member_of(a))

    services.answer_invitation(
        participant=proposal.participants.get(organisation=b), by=member_of(b), accept=False
    )

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_answer_invitation_for_another_organisation_is_refused():
    a, b, c = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    proposal = _new_proposal(a, [b, c], member_of(a))
    c_member = member_of(c)
    b_participant = proposal.participants.get(organisation=b)

    with pytest.raises(PermissionDenied):
        services.answer_invitation(participant=b_participant, by=c_member, accept=True)

    b_participant.refresh_from_db()
    assert b_participant.answer == Answer.INVITED


def test_answer_invitation_twice_is_refused_with_a_clear_message():
    a, b = OrganisationFactory(), OrganisationFactory(name="Bee")
    proposal = _new_proposal(a, [b], member_of(a))
    participant = proposal.participants.get(organisation=b)
    b_member = member_of(b)
    services.answer_invitation(participant=participant, by=b_member, accept=False)

    with pytest.raises(DomainError, match="Bee has already answered"):
        services.answer_invitation(participant=participant, by=b_member, accept=True)

    participant.refresh_from_db()
    assert participant.answer == Answer.DECLINED


def test_answer_invitation_on_a_draft_is_refused():
    a, b = OrganisationFactory(), OrganisationFactory()
    proposal = _new_proposal(a, [b], member_of(a), submit=False)

    with pytest.raises(DomainError, match="not taking answers"):
        services.answer_invitation(
            participant=proposal.participants.get(organisation=b), by=member_of(b), accept=True
        )


def test_express_interest_and_lead_accepts_it_activates_an_open_call(
    django_capture_on_commit_callbacks,
):
    a, d = OrganisationFactory(), OrganisationFactory(slug="d")
    a_member = member_of(a, email="lead@example.org")
    proposal = _new_proposal(a, [], a_member, is_open_call=True)
    d_member = member_of(d, email="d@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        participant = services.express_interest(
            proposal=proposal, organisation=d, by=d_member, message="We bring research."
        )
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_interest(participant=participant, by=a_member, accept=True)

    proposal.refresh_from_db()
    participant.refresh_from_db()
    assert participant.answer == Answer.ACCEPTED
    assert proposal.status == ProposalStatus.ACTIVE
    assert mail.outbox[-1].to == ["d@example.org"]
    assert ("d", "", "interested") in _steps(proposal)
    assert ("d", "interested", "accepted") in _steps(proposal)


def test_express_interest_in_a_proposal_that_is_not_an_open_call_is_refused():
    a, d = OrganisationFactory(), OrganisationFactory()
    proposal = _new_proposal(a, [], member_of(a), is_open_call=False)

    with pytest.raises(DomainError, match="not an open call"):
        services.express_interest(proposal=proposal, organisation=d, by=member_of(d))

    assert proposal.participants.count() == 1


def test_express_interest_twice_is_refused():
    a, d = OrganisationFactory(), OrganisationFactory(name="Dee")
    proposal = _new_proposal(a, [], member_of(a), is_open_call=True)
    d_member = member_of(d)
    services.express_interest(proposal=proposal, organisation=d, by=d_member)

    with pytest.raises(DomainError, match="Dee already takes part"):
        services.express_interest(proposal=proposal, organisation=d, by=d_member)


def test_decide_interest_by_someone_not_in_the_lead_is_refused():
    a, d = OrganisationFactory(), OrganisationFactory()
    proposal = _new_proposal(a, [], member_of(a), is_open_call=True)
    d_member = member_of(d)
    participant = services.express_interest(proposal=proposal, organisation=d, by=d_member)

    with pytest.raises(PermissionDenied):
        services.decide_interest(participant=participant, by=d_member, accept=True)

    participant.refresh_from_db()
    assert participant.answer == Answer.INTERESTED


def test_staff_may_act_for_any_organisation():
    a, b = OrganisationFactory(), OrganisationFactory()
    staff = with_second_factor(UserFactory(is_staff=True))
    proposal = _new_proposal(a, [b], staff)

    services.answer_invitation(
        participant=proposal.participants.get(organisation=b), by=staff, accept=True
    )

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACTIVE


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (ProposalStatus.DRAFT, "complete"),
        (ProposalStatus.OPEN, "complete"),
        (ProposalStatus.FORMING, "complete"),
        (ProposalStatus.COMPLETED, "withdraw"),
        (ProposalStatus.WITHDRAWN, "withdraw"),
        (ProposalStatus.WITHDRAWN, "complete"),
        (ProposalStatus.ACTIVE, "submit"),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message(status, action):
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=status, lead_participant=lead)
    functions = {
        "complete": services.complete_proposal,
        "withdraw": services.withdraw_proposal,
        "submit": services.submit_proposal,
    }

    with pytest.raises(DomainError, match="cannot become"):
        functions[action](proposal=proposal, by=member_of(lead))

    proposal.refresh_from_db()
    assert proposal.status == status
    assert not StatusChange.objects.filter(proposal=proposal).exists()


@pytest.mark.parametrize(
    "status",
    [ProposalStatus.DRAFT, ProposalStatus.OPEN, ProposalStatus.FORMING, ProposalStatus.ACTIVE],
)
def test_withdraw_by_the_lead_before_completion_is_allowed(status):
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=status, lead_participant=lead)

    services.withdraw_proposal(proposal=proposal, by=member_of(lead), note="Funding fell through.")

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    change = StatusChange.objects.get(proposal=proposal)
    assert (change.from_status, change.to_status, change.note) == (
        status,
        "withdrawn",
        "Funding fell through.",
    )


def test_withdraw_by_an_invited_partner_is_refused():
    lead = OrganisationFactory()
    proposal = ProposalFactory(lead_participant=lead)
    partner = ParticipantFactory(proposal=proposal)

    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(proposal=proposal, by=member_of(partner.organisation))

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_complete_an_active_partnership():
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=ProposalStatus.ACTIVE, lead_participant=lead)

    services.complete_proposal(proposal=proposal, by=member_of(lead))

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COMPLETED


def test_progress_update_by_an_accepted_partner_while_active():
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=ProposalStatus.ACTIVE, lead_participant=lead)
    partner = ParticipantFactory(proposal=proposal, answer=Answer.ACCEPTED).organisation

    services.post_progress_update(
        proposal=proposal, organisation=partner, by=member_of(partner), text="First meeting held."
    )

    assert ProgressUpdate.objects.get(proposal=proposal).text == "First meeting held."


def test_progress_update_by_an_organisation_that_declined_is_refused():
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=ProposalStatus.ACTIVE, lead_participant=lead)
    partner = ParticipantFactory(proposal=proposal, answer=Answer.DECLINED).organisation

    with pytest.raises(DomainError, match="not a partner"):
        services.post_progress_update(
            proposal=proposal, organisation=partner, by=member_of(partner), text="Hello"
        )

    assert not ProgressUpdate.objects.exists()


def test_progress_update_before_active_is_refused():
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=ProposalStatus.FORMING, lead_participant=lead)

    with pytest.raises(DomainError, match="only while a partnership is active"):
        services.post_progress_update(
            proposal=proposal, organisation=lead, by=member_of(lead), text="Hello"
        )


def test_hide_proposal_mails_the_lead_the_reason(django_capture_on_commit_callbacks):
    lead = OrganisationFactory()
    member_of(lead, email="lead@example.org")
    proposal = ProposalFactory(lead_participant=lead)

    with django_capture_on_commit_callbacks(execute=True):
        services.hide_proposal(
            proposal=proposal,
            by=with_second_factor(UserFactory(is_staff=True)),
            reason="Advertises a product.",
        )

    proposal.refresh_from_db()
    assert proposal.is_hidden
    assert mail.outbox[0].to == ["lead@example.org"]
    assert "Advertises a product." in mail.outbox[0].body


def test_hide_proposal_by_a_non_moderator_is_refused():
    lead = OrganisationFactory()
    proposal = ProposalFactory(lead_participant=lead)

    with pytest.raises(PermissionDenied):
        services.hide_proposal(proposal=proposal, by=member_of(lead), reason="No.")

    proposal.refresh_from_db()
    assert not proposal.is_hidden


def test_hide_proposal_by_staff_without_a_second_factor_is_refused():
    proposal = ProposalFactory(lead_participant=OrganisationFactory())

    with pytest.raises(PermissionDenied):
        services.hide_proposal(proposal=proposal, by=UserFactory(is_staff=True), reason="No.")

    proposal.refresh_from_db()
    assert not proposal.is_hidden


def test_staff_without_a_second_factor_cannot_act_for_another_organisation():
    a, b = OrganisationFactory(), OrganisationFactory()
    proposal = _new_proposal(a, [b], member_of(a))
    participant = proposal.participants.get(organisation=b)

    with pytest.raises(PermissionDenied):
        services.answer_invitation(
            participant=participant, by=UserFactory(is_staff=True), accept=True
        )

    participant.refresh_from_db()
    assert participant.answer == Answer.INVITED


def test_invite_partners_skips_those_already_taking_part(django_capture_on_commit_callbacks):
    lead, b, c = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    proposal = ProposalFactory(lead_participant=lead)
    ParticipantFactory(proposal=proposal, organisation=b)
    member_of(c, email="c@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        invited = services.invite_partners(
            proposal=proposal, organisations=[b, c, lead], by=member_of(lead)
        )

    assert invited == [c]
    assert Participant.objects.filter(proposal=proposal).count() == 3
    assert [m.to for m in mail.outbox] == [["c@example.org"]]


def test_start_partnership_with_two_accepted_leaves_unanswered_invitations_open():
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=ProposalStatus.FORMING, lead_participant=lead)
    ParticipantFactory(proposal=proposal, answer=Answer.ACCEPTED)
    waiting = ParticipantFactory(proposal=proposal)

    services.start_partnership(proposal=proposal, by=member_of(lead))

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACTIVE
    services.answer_invitation(
        participant=waiting, by=member_of(waiting.organisation), accept=True
    )
    waiting.refresh_from_db()
    assert waiting.answer == Answer.ACCEPTED


def test_start_partnership_alone_is_refused():
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=ProposalStatus.FORMING, lead_participant=lead)

    with pytest.raises(DomainError, match="at least two organisations"):
        services.start_partnership(proposal=proposal, by=member_of(lead))

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.FORMING


def test_withdraw_tells_the_partners_but_not_those_who_declined(
    django_capture_on_commit_callbacks,
):
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=ProposalStatus.FORMING, lead_participant=lead)
    for answer, email in [
        (Answer.ACCEPTED, "accepted@example.org"),
        (Answer.INVITED, "invited@example.org"),
        (Answer.DECLINED, "declined@example.org"),
    ]:
        member_of(ParticipantFactory(proposal=proposal, answer=answer).organisation, email=email)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_proposal(proposal=proposal, by=member_of(lead), note="No funding.")

    assert sorted(m.to[0] for m in mail.outbox) == ["accepted@example.org", "invited@example.org"]
    assert "No funding." in mail.outbox[0].body


def test_withdrawing_a_draft_mails_nobody(django_capture_on_commit_callbacks):
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=ProposalStatus.DRAFT, lead_participant=lead)
    member_of(ParticipantFactory(proposal=proposal).organisation)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_proposal(proposal=proposal, by=member_of(lead))

    assert mail.outbox == []


HIDDEN = {"is_hidden": True, "hidden_reason": "Advertises a product."}


def test_a_hidden_proposal_cannot_invite(django_capture_on_commit_callbacks):
    lead, c = OrganisationFactory(), OrganisationFactory()
    member_of(c, email="c@example.org")
    proposal = ProposalFactory(lead_participant=lead, **HIDDEN)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError, match="hidden this proposal"),
    ):
        services.invite_partners(proposal=proposal, organisations=[c], by=member_of(lead))

    assert not Participant.objects.filter(proposal=proposal, organisation=c).exists()
    assert mail.outbox == []


def test_a_hidden_draft_cannot_be_submitted_to_mail_its_invitations(
    django_capture_on_commit_callbacks,
):
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=ProposalStatus.DRAFT, lead_participant=lead, **HIDDEN)
    member_of(ParticipantFactory(proposal=proposal).organisation, email="b@example.org")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError, match="hidden this proposal"),
    ):
        services.submit_proposal(proposal=proposal, by=member_of(lead))

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert mail.outbox == []


def test_a_hidden_proposal_cannot_accept_interest(django_capture_on_commit_callbacks):
    lead = OrganisationFactory()
    proposal = ProposalFactory(lead_participant=lead, is_open_call=True)
    interested = ParticipantFactory(proposal=proposal, answer=Answer.INTERESTED)
    member_of(interested.organisation, email="d@example.org")
    PartnershipProposal.objects.filter(pk=proposal.pk).update(**HIDDEN)

    for accept in (True, False):
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(DomainError, match="hidden this proposal"),
        ):
            services.decide_interest(participant=interested, by=member_of(lead), accept=accept)

    interested.refresh_from_db()
    assert interested.answer == Answer.INTERESTED
    assert mail.outbox == []


def test_withdrawing_a_hidden_proposal_mails_nobody(django_capture_on_commit_callbacks):
    lead = OrganisationFactory()
    proposal = ProposalFactory(status=ProposalStatus.FORMING, lead_participant=lead, **HIDDEN)
    member_of(ParticipantFactory(proposal=proposal, answer=Answer.ACCEPTED).organisation)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_proposal(proposal=proposal, by=member_of(lead), note="Sorry.")

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert mail.outbox == []


def test_a_hidden_proposal_takes_no_answers_or_interest(django_capture_on_commit_callbacks):
    lead, d = OrganisationFactory(), OrganisationFactory()
    proposal = ProposalFactory(lead_participant=lead, is_open_call=True, **HIDDEN)
    member_of(lead, email="lead@example.org")
    invited = ParticipantFactory(proposal=proposal)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError):
            services.answer_invitation(
                participant=invited, by=member_of(invited.organisation), accept=True
            )
        with pytest.raises(DomainError):
            services.express_interest(proposal=proposal, organisation=d, by=member_of(d))

    invited.refresh_from_db()
    assert invited.answer == Answer.INVITED
    assert not Participant.objects.filter(proposal=proposal, organisation=d).exists()
    assert mail.outbox == []
