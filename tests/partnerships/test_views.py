"""The partnership pages, tested as the lead's member, an invited organisation's member, a
member of an unrelated organisation, an anonymous visitor, and staff with and without a second
factor (without it, staff are plain members)."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisations.models import Theme
from partnerships.models import (
    Answer,
    Deliverable,
    Participant,
    PartnershipProposal,
    ProgressUpdate,
    ProposalStatus,
    StatusChange,
)
from tests.accounts import STAFF_WITHOUT_MFA, sign_in_with_mfa, sign_in_with_password
from tests.factories import NetworkGroupFactory, OrganisationFactory, UserFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A proposal led by ``lead`` with ``invited`` invited, and a member of each, plus an
    unrelated organisation's member and staff."""
    lead = OrganisationFactory(name="Lead Org")
    invited = OrganisationFactory(name="Invited Org")
    unrelated = OrganisationFactory(name="Unrelated Org")
    proposal = ProposalFactory(lead_participant=lead, is_open_call=True, title="Peace Talks")
    participant = ParticipantFactory(proposal=proposal, organisation=invited)
    return {
        "proposal": proposal,
        "participant": participant,
        "lead": lead,
        "invited": invited,
        "unrelated": unrelated,
        "users": {
            "lead": member_of(lead),
            "invited": member_of(invited),
            "unrelated": member_of(unrelated),
            "anonymous": None,
            "staff": UserFactory(is_staff=True),
            "staff_without_mfa": UserFactory(is_staff=True),
        },
    }


def _client_as(client, world, who):
    """Sign in as ``who`` of the world; staff with a second factor, or with a password only."""
    user = world["users"][who]
    if who == "staff":
        return sign_in_with_mfa(client, user)
    if who == STAFF_WITHOUT_MFA:
        return sign_in_with_password(client, user)
    return _client_for(client, user)


def _client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _url(name, proposal):
    return reverse(f"partnerships:{name}", kwargs={"slug": proposal.slug})


# Reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status_code"),
    [
        ("lead", 200),
        ("invited", 404),
        ("unrelated", 404),
        ("anonymous", 404),
        ("staff", 200),
        ("staff_without_mfa", 404),
    ],
)
def test_draft_detail_is_seen_only_by_the_lead_and_staff(client, world, who, status_code):
    proposal = world["proposal"]
    PartnershipProposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.DRAFT)

    response = _client_as(client, world, who).get(proposal.get_absolute_url())

    assert response.status_code == status_code


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("lead", True),
        ("invited", True),
        ("unrelated", False),
        ("anonymous", False),
        ("staff", True),
        ("staff_without_mfa", False),
    ],
)
def test_a_decline_message_is_shown_to_the_participants_only(client, world, who, sees):
    world["participant"].delete()
    declined = ParticipantFactory(
        proposal=world["proposal"], organisation=world["invited"], answer=Answer.DECLINED
    )
    declined.message = "Our director left; we cannot commit this year."
    declined.save()
    StatusChange.objects.create(
        proposal=world["proposal"],
        organisation=world["invited"],
        from_status=Answer.INVITED,
        to_status=Answer.DECLINED,
        note=declined.message,
    )
    interested = ParticipantFactory(
        proposal=world["proposal"], answer=Answer.INTERESTED, message="We bring research."
    )

    body = _client_as(client, world, who).get(world["proposal"].get_absolute_url())
    body = body.content.decode()

    assert body.count("Our director left; we cannot commit this year.") == (2 if sees else 0)
    assert "Invited Org" in body
    assert interested.message in body


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("lead", {"withdraw", "invite"}),
        ("invited", {"answer"}),
        ("unrelated", {"interest"}),
        ("anonymous", set()),
        ("staff", {"withdraw", "answer", "invite"}),
        ("staff_without_mfa", set()),
    ],
)
def test_detail_offers_only_the_actions_the_user_may_take(client, world, who, sees):
    proposal = world["proposal"]

    response = _client_as(client, world, who).get(proposal.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Peace Talks" in html
    markers = {
        action: f'action="{_url(action, proposal)}"'
        for action in ("withdraw", "answer", "interest", "submit", "complete", "progress")
    }
    markers["invite"] = 'name="invite_q"'
    for action, marker in markers.items():
        assert (marker in html) == (action in sees), action


def test_detail_shows_suggested_partners_to_the_lead(client, world):
    world["lead"].themes.set(["Gender"])
    OrganisationFactory(name="Gender NGO", kind="government", themes=["Gender"])

    response = _client_for(client, world["users"]["lead"]).get(
        world["proposal"].get_absolute_url()
    )

    assert response.context["suggestions"][0].organisation.name == "Gender NGO"
    assert "Works on Gender, as you do." in response.content.decode()


def test_list_shows_public_proposals_with_open_calls_first(client):
    older_call = ProposalFactory(title="Open call", is_open_call=True)
    newer = ProposalFactory(title="Newer closed")
    ProposalFactory(title="A draft", status=ProposalStatus.DRAFT)
    ProposalFactory(title="Hidden one", is_hidden=True, hidden_reason="Spam.")

    response = client.get(reverse("partnerships:list"))

    assert list(response.context["page_obj"]) == [older_call, newer]


def test_list_filters_by_q_status_group_and_theme_with_facet_counts(client):
    group = NetworkGroupFactory(slug="gender")
    match = ProposalFactory(
        title="Women mediators", network_group=group, themes=["Gender", "Mediation"]
    )
    ProposalFactory(title="Women mediators", status=ProposalStatus.ACTIVE, network_group=group)
    ProposalFactory(title="Youth mediators", themes=["Gender"])

    response = client.get(
        reverse("partnerships:list"),
        {"q": "women", "status": "open", "network_group": "gender", "theme": ["gender"]},
    )

    assert list(response.context["page_obj"]) == [match]
    statuses = {f["value"]: f["count"] for f in response.context["status_facets"]}
    assert statuses["open"] == 1
    assert statuses["active"] == 0  # The active one has no Gender theme.
    groups = {g.slug: g.count for g in response.context["group_facets"]}
    assert groups == {"gender": 1}
    themes = {t.slug: t.count for t in response.context["theme_facets"]}
    assert themes == {"gender": 1, "mediation": 1}


def test_list_with_unknown_filter_values_does_not_fail(client):
    ProposalFactory()

    response = client.get(
        reverse("partnerships:list"), {"status": "nonsense", "network_group": "nope", "page": "x"}
    )

    assert response.status_code == 200


def test_list_answers_htmx_with_the_results_only(client):
    ProposalFactory(title="Peace Talks")

    response = client.get(reverse("partnerships:list"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "Peace Talks" in html
    assert "<html" not in html


@pytest.mark.parametrize("rows", [1, 20])
def test_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    group = NetworkGroupFactory()
    for n in range(rows):
        # Open calls with deadlines, and active partnerships with their reporting schedule.
        status = ProposalStatus.ACTIVE if n % 2 else ProposalStatus.OPEN
        proposal = ProposalFactory(
            network_group=group,
            themes=["Gender", "Youth"],
            status=status,
            is_open_call=True,
            deadline=timezone.localdate(),
        )
        partner = ParticipantFactory(proposal=proposal)
        ProgressUpdate.objects.create(proposal=proposal, organisation=partner.organisation)

    # count, page (with the latest report and since when active), participants, themes;
    # facets: statuses, groups with counts, theme counts, theme options
    with django_assert_num_queries(8):
        response = client.get(reverse("partnerships:list"))

    assert len(response.context["page_obj"]) == rows


@pytest.mark.parametrize("rows", [1, 12])
def test_detail_query_count_does_not_grow_with_participants_and_history(
    client, django_assert_num_queries, rows
):
    lead = OrganisationFactory()
    proposal = ProposalFactory(lead_participant=lead, status=ProposalStatus.ACTIVE)
    for _ in range(rows):
        partner = ParticipantFactory(proposal=proposal, answer=Answer.ACCEPTED)
        StatusChange.objects.create(
            proposal=proposal,
            organisation=partner.organisation,
            from_status="invited",
            to_status="accepted",
        )
        ProgressUpdate.objects.create(
            proposal=proposal, organisation=partner.organisation, text="Met."
        )
        Deliverable.objects.create(
            proposal=proposal,
            organisation=partner.organisation,
            title="A report",
            due=timezone.localdate(),
        )

    # proposal (with its reporting), themes, participants, history, updates, deliverables
    with django_assert_num_queries(6):
        response = client.get(proposal.get_absolute_url())

    assert len(response.context["participants"]) == rows + 1
    assert len(response.context["deliverables"]) == rows


def test_feed_lists_open_calls_only(client):
    ProposalFactory(title="Join our youth network", is_open_call=True)
    ProposalFactory(title="Closed circle", is_open_call=False)

    response = client.get(reverse("partnerships:feed"))

    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Join our youth network" in body
    assert "Closed circle" not in body


# Answering an invitation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status_code", "answer"),
    [
        ("lead", 403, Answer.INVITED),
        ("invited", 302, Answer.ACCEPTED),
        ("unrelated", 403, Answer.INVITED),
        ("anonymous", 302, Answer.INVITED),
        ("staff", 302, Answer.ACCEPTED),
        ("staff_without_mfa", 403, Answer.INVITED),
    ],
)
def test_answer_invitation_permissions(client, world, who, status_code, answer):
    participant = world["participant"]

    response = _client_as(client, world, who).post(
        _url("answer", world["proposal"]),
        {"participant": participant.pk, "decision": "accept", "message": "Gladly."},
    )

    assert response.status_code == status_code
    participant.refresh_from_db()
    assert participant.answer == answer


def test_answer_invitation_with_a_participant_of_another_proposal_is_refused(client, world):
    elsewhere = ParticipantFactory(organisation=world["invited"])

    response = _client_for(client, world["users"]["invited"]).post(
        _url("answer", world["proposal"]), {"participant": elsewhere.pk, "decision": "accept"}
    )

    assert response.status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.answer == Answer.INVITED


def test_answer_invitation_with_a_bad_decision_changes_nothing(client, world):
    response = _client_for(client, world["users"]["invited"]).post(
        _url("answer", world["proposal"]),
        {"participant": world["participant"].pk, "decision": "maybe"},
        follow=True,
    )

    assert "Choose accept or decline" in response.content.decode()
    world["participant"].refresh_from_db()
    assert world["participant"].answer == Answer.INVITED


# Interest in an open call ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "organisation", "status_code", "created"),
    [
        ("unrelated", "unrelated", 302, True),
        ("unrelated", "invited", 403, False),  # Not their organisation, whatever they post.
        ("lead", "unrelated", 403, False),
        ("anonymous", "unrelated", 302, False),
        ("staff", "unrelated", 302, True),
        ("staff_without_mfa", "unrelated", 403, False),
    ],
)
def test_express_interest_permissions(client, world, who, organisation, status_code, created):
    target = world[organisation]

    response = _client_as(client, world, who).post(
        _url("interest", world["proposal"]), {"organisation": target.pk, "message": "Hi"}
    )

    assert response.status_code == status_code
    exists = Participant.objects.filter(
        proposal=world["proposal"], organisation=target, answer=Answer.INTERESTED
    ).exists()
    assert exists == created


@pytest.mark.parametrize(
    ("who", "status_code", "answer"),
    [
        ("lead", 302, Answer.ACCEPTED),
        ("invited", 403, Answer.INTERESTED),
        ("unrelated", 403, Answer.INTERESTED),
        ("anonymous", 302, Answer.INTERESTED),
        ("staff", 302, Answer.ACCEPTED),
        ("staff_without_mfa", 403, Answer.INTERESTED),
    ],
)
def test_decide_interest_permissions(client, world, who, status_code, answer):
    interested = ParticipantFactory(proposal=world["proposal"], answer=Answer.INTERESTED)

    response = _client_as(client, world, who).post(
        _url("decide", world["proposal"]), {"participant": interested.pk, "decision": "accept"}
    )

    assert response.status_code == status_code
    interested.refresh_from_db()
    assert interested.answer == answer


# The lead's decisions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status_code", "status"),
    [
        ("lead", 302, ProposalStatus.WITHDRAWN),
        ("invited", 403, ProposalStatus.OPEN),
        ("unrelated", 403, ProposalStatus.OPEN),
        ("anonymous", 302, ProposalStatus.OPEN),
        ("staff", 302, ProposalStatus.WITHDRAWN),
        ("staff_without_mfa", 403, ProposalStatus.OPEN),
    ],
)
def test_withdraw_permissions(client, world, who, status_code, status):
    response = _client_as(client, world, who).post(
        _url("withdraw", world["proposal"]), {"withdraw-note": "No funding."}
    )

    assert response.status_code == status_code
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == status


@pytest.mark.parametrize(
    ("who", "status_code", "status"),
    [
        ("lead", 302, ProposalStatus.COMPLETED),
        ("invited", 403, ProposalStatus.ACTIVE),
        ("unrelated", 403, ProposalStatus.ACTIVE),
        ("anonymous", 302, ProposalStatus.ACTIVE),
        ("staff", 302, ProposalStatus.COMPLETED),
        ("staff_without_mfa", 403, ProposalStatus.ACTIVE),
    ],
)
def test_complete_permissions(client, world, who, status_code, status):
    proposal = world["proposal"]
    PartnershipProposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.ACTIVE)

    response = _client_as(client, world, who).post(_url("complete", proposal))

    assert response.status_code == status_code
    proposal.refresh_from_db()
    assert proposal.status == status


@pytest.mark.parametrize(
    ("who", "status_code", "status"),
    [
        ("lead", 302, ProposalStatus.OPEN),
        ("invited", 404, ProposalStatus.DRAFT),
        ("unrelated", 404, ProposalStatus.DRAFT),
        ("anonymous", 302, ProposalStatus.DRAFT),
        ("staff", 302, ProposalStatus.OPEN),
        ("staff_without_mfa", 404, ProposalStatus.DRAFT),
    ],
)
def test_submit_permissions(client, world, who, status_code, status):
    proposal = world["proposal"]
    PartnershipProposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.DRAFT)

    response = _client_as(client, world, who).post(_url("submit", proposal))

    assert response.status_code == status_code
    proposal.refresh_from_db()
    assert proposal.status == status


def test_withdrawing_with_a_note_too_long_is_refused_and_the_note_kept_out(client, world):
    response = _client_for(client, world["users"]["lead"]).post(
        _url("withdraw", world["proposal"]), {"withdraw-note": "x" * 1001}, follow=True
    )

    assert "Note (optional): Ensure this value has at most 1000 characters" in (
        response.content.decode()
    )
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == ProposalStatus.OPEN


def test_complete_an_open_proposal_is_refused_with_a_message(client, world):
    response = _client_for(client, world["users"]["lead"]).post(
        _url("complete", world["proposal"]), follow=True
    )

    assert "cannot become" in response.content.decode()
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == ProposalStatus.OPEN


@pytest.mark.parametrize(
    ("who", "status_code", "invited"),
    [
        ("lead", 302, True),
        ("invited", 403, False),
        ("unrelated", 403, False),
        ("anonymous", 302, False),
        ("staff", 302, True),
        ("staff_without_mfa", 403, False),
    ],
)
def test_invite_permissions(client, world, who, status_code, invited):
    newcomer = OrganisationFactory()

    response = _client_as(client, world, who).post(
        _url("invite", world["proposal"]), {"organisation": newcomer.pk}
    )

    assert response.status_code == status_code
    assert Participant.objects.filter(organisation=newcomer).exists() == invited


@pytest.mark.parametrize(
    ("who", "organisation", "status_code", "posted"),
    [
        ("lead", "lead", 302, True),
        ("invited", "invited", 302, True),  # Accepted below, so a partner.
        ("unrelated", "unrelated", 302, False),  # Refused: not a partner.
        ("unrelated", "lead", 403, False),  # Not their organisation.
        ("anonymous", "lead", 302, False),
        ("staff", "lead", 302, True),
        ("staff_without_mfa", "lead", 403, False),
    ],
)
def test_progress_update_permissions(client, world, who, organisation, status_code, posted):
    proposal = world["proposal"]
    PartnershipProposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.ACTIVE)
    Participant.objects.filter(pk=world["participant"].pk).update(answer=Answer.ACCEPTED)

    response = _client_as(client, world, who).post(
        _url("progress", proposal),
        {"organisation": world[organisation].pk, "date": "2026-11-01", "text": "Met in June."},
    )

    assert response.status_code == status_code
    assert ProgressUpdate.objects.filter(proposal=proposal).exists() == posted


# Proposing ---------------------------------------------------------------------------------


def _proposal_data(lead, partners=(), action="submit", **extra):
    return {
        "title": "Youth dialogue on radicalisation",
        "lead": lead.pk,
        "summary": "Young people from diaspora communities meet policy makers.",
        "description": "Four dialogues a year.",
        "goals": "Understanding.",
        "partners_bring": "",
        "partners_need": "",
        "network_group": "",
        "themes": "Youth, Radicalisation",
        "partners": [p.pk for p in partners],
        "action": action,
        **extra,
    }


def test_propose_requires_sign_in(client):
    response = client.get(reverse("partnerships:propose"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_propose_without_a_published_organisation_is_forbidden(client):
    client.force_login(member_of(OrganisationFactory(status="pending")))

    response = client.get(reverse("partnerships:propose"))

    assert response.status_code == 403
    assert "member of a published organisation" in response.content.decode()


def test_propose_submits_an_open_proposal_and_invites_partners(
    client, django_capture_on_commit_callbacks
):
    lead, partner = OrganisationFactory(), OrganisationFactory()
    member_of(partner, email="partner@example.org")
    client.force_login(member_of(lead))
    Theme.objects.create(name_en="Youth", name_nl="Jongeren")
    Theme.objects.create(name_en="Radicalisation")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnerships:propose"), _proposal_data(lead, [partner]))

    proposal = PartnershipProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.lead_organisation == lead
    assert set(proposal.themes.names()) == {"Youth", "Radicalisation"}
    assert proposal.participants.get(organisation=partner).answer == Answer.INVITED
    assert mail.outbox[0].to == ["partner@example.org"]


def test_propose_as_draft_sends_nothing(client):
    lead, partner = OrganisationFactory(), OrganisationFactory()
    member_of(partner)
    client.force_login(member_of(lead))

    client.post(reverse("partnerships:propose"), _proposal_data(lead, [partner], action="draft"))

    assert PartnershipProposal.objects.get().status == ProposalStatus.DRAFT
    assert mail.outbox == []


def test_propose_for_an_organisation_one_is_not_a_member_of_is_impossible(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    client.force_login(member_of(mine))

    response = client.post(reverse("partnerships:propose"), _proposal_data(theirs))

    assert response.status_code == 200
    assert "lead" in response.context["form"].errors
    assert not PartnershipProposal.objects.exists()


def test_propose_with_missing_fields_shows_an_error_summary_and_saves_nothing(client):
    lead = OrganisationFactory()
    client.force_login(member_of(lead))

    response = client.post(
        reverse("partnerships:propose"), _proposal_data(lead, title="", summary="")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'aria-describedby="id_title_error"' in html
    assert not PartnershipProposal.objects.exists()


def test_propose_inviting_ones_own_organisation_is_refused(client):
    lead = OrganisationFactory(name="Self")
    client.force_login(member_of(lead))

    response = client.post(reverse("partnerships:propose"), _proposal_data(lead, [lead]))

    assert "Self leads this proposal" in response.content.decode()
    assert not PartnershipProposal.objects.exists()


def test_propose_inviting_a_pending_organisation_is_refused(client):
    lead, pending = OrganisationFactory(), OrganisationFactory(status="pending")
    client.force_login(member_of(lead))

    response = client.post(reverse("partnerships:propose"), _proposal_data(lead, [pending]))

    assert "partners" in response.context["form"].errors
    assert not PartnershipProposal.objects.exists()


def test_partner_search_without_javascript_keeps_the_form_and_shows_matches(client):
    lead = OrganisationFactory()
    chosen = OrganisationFactory(name="Already Chosen")
    OrganisationFactory(name="Tosangana Foundation")
    OrganisationFactory(name="Pending Tosangana", status="pending")
    client.force_login(member_of(lead))

    response = client.post(
        reverse("partnerships:propose"),
        _proposal_data(lead, [chosen], action="search", partner_search="tosang"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert not PartnershipProposal.objects.exists()
    assert [o.name for o in response.context["results"]] == ["Tosangana Foundation"]
    assert [o.name for o in response.context["chosen"]] == ["Already Chosen"]
    assert 'value="Youth dialogue on radicalisation"' in html
    assert 'class="error-summary"' not in html


def test_partner_search_as_you_type_returns_the_partial(client):
    lead = OrganisationFactory()
    OrganisationFactory(name="Tosangana Foundation")
    client.force_login(member_of(lead))

    response = client.get(
        reverse("partnerships:partner_search"),
        {"partner_search": "tosang"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert "Tosangana Foundation" in html
    assert "<form" not in html


@pytest.mark.parametrize(
    ("who", "status_code", "title"),
    [
        ("lead", 302, "New title"),
        ("invited", 403, "Peace Talks"),
        ("unrelated", 403, "Peace Talks"),
        ("anonymous", 302, "Peace Talks"),
        ("staff", 302, "New title"),
        ("staff_without_mfa", 403, "Peace Talks"),
    ],
)
def test_edit_permissions(client, world, who, status_code, title):
    proposal = world["proposal"]

    response = _client_as(client, world, who).post(
        _url("edit", proposal),
        {"title": "New title", "summary": "Still short.", "description": "Why.", "themes": ""},
    )

    assert response.status_code == status_code
    proposal.refresh_from_db()
    assert proposal.title == title


def test_edit_with_an_empty_title_shows_the_error_and_keeps_the_old_one(client, world):
    proposal = world["proposal"]

    response = _client_for(client, world["users"]["lead"]).post(
        _url("edit", proposal), {"title": "", "summary": "x", "description": "y"}
    )

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title == "Peace Talks"


@pytest.mark.parametrize(
    ("who", "status_code", "status"),
    [
        ("lead", 302, ProposalStatus.ACTIVE),
        ("invited", 403, ProposalStatus.FORMING),
        ("unrelated", 403, ProposalStatus.FORMING),
        ("anonymous", 302, ProposalStatus.FORMING),
        ("staff", 302, ProposalStatus.ACTIVE),
        ("staff_without_mfa", 403, ProposalStatus.FORMING),
    ],
)
def test_start_permissions(client, world, who, status_code, status):
    proposal = world["proposal"]
    PartnershipProposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.FORMING)
    ParticipantFactory(proposal=proposal, answer=Answer.ACCEPTED)

    response = _client_as(client, world, who).post(_url("start", proposal))

    assert response.status_code == status_code
    proposal.refresh_from_db()
    assert proposal.status == status


def test_propose_by_staff_offers_only_their_own_organisations(client):
    mine = OrganisationFactory(name="Staff's Own")
    OrganisationFactory(name="Someone Else's")
    staff = member_of(mine, is_staff=True)
    client.force_login(staff)

    response = client.get(reverse("partnerships:propose"))

    assert list(response.context["form"].fields["lead"].queryset) == [mine]


@pytest.mark.parametrize("rows", [1, 12])
def test_detail_query_count_for_the_lead_does_not_grow_with_participants(
    client, django_assert_num_queries, rows
):
    lead = OrganisationFactory(kind="diaspora", themes=["Gender"])
    proposal = ProposalFactory(lead_participant=lead, is_open_call=True)
    for _ in range(rows):
        ParticipantFactory(proposal=proposal, answer=Answer.INTERESTED)
        OrganisationFactory(kind="ngo", themes=["Gender"])  # A suggestion.
    client.force_login(member_of(lead))

    # session, user (with whether they follow anything: they don't), proposal, themes,
    # participants, memberships, own organisations for interest, history, updates,
    # deliverables, the organisations a deliverable may be for (twice: the select reads its
    # first option to decide on ``required``); suggestions: lead's themes, groups, offers,
    # needs, the grouped theme count, candidates and their themes, groups, offers and needs
    with django_assert_num_queries(22):
        response = client.get(proposal.get_absolute_url())

    assert len(response.context["interested"]) == rows
    assert response.context["suggestions"]


# Destructive actions ask first -------------------------------------------------------------

CONFIRM_BLOCK = re.compile(r'<details class="confirm-action">(.*?)</details>', re.S)


def _destructive_buttons(html):
    """The submit buttons that withdraw or decline, split into those behind a confirmation
    disclosure and those a single click would fire."""
    blocks = CONFIRM_BLOCK.findall(html)
    outside = CONFIRM_BLOCK.sub("", html)
    return blocks, outside


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead", ["Yes, decline Keen Org", "Yes, withdraw the proposal"]),
        ("invited", ["Yes, decline the invitation"]),
    ],
)
def test_withdraw_and_decline_look_dangerous_and_ask_first(client, world, who, expected):
    ParticipantFactory(
        proposal=world["proposal"],
        organisation=OrganisationFactory(name="Keen Org"),
        answer=Answer.INTERESTED,
    )

    html = _client_as(client, world, who).get(world["proposal"].get_absolute_url())
    blocks, outside = _destructive_buttons(html.content.decode())

    assert [b for b in blocks if "button-danger" in b.split("<summary", 1)[1]] == blocks
    confirms = [re.search(r'<button type="submit"[^>]*>([^<]*)</button>', b) for b in blocks]
    assert [m.group(1) for m in confirms if m] == expected
    assert all('class="button button-danger' in m.group(0) for m in confirms)
    assert 'value="decline"' not in outside  # No single-click decline left.
    assert "Withdraw the proposal</button>" not in outside


def test_danger_buttons_are_styled_apart_from_the_main_buttons():
    css = (settings.BASE_DIR / "static" / "css" / "peacenet.css").read_text()

    # button.button (the main action) would win over a bare .button-danger.
    assert re.search(r"button\.button-danger[^{]*\{[^}]*background: var\(--error\)", css)
