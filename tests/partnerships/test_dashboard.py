import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import ProposalStatus
from tests.factories import MembershipFactory, OrganisationFactory
from tests.languages import in_language
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")


def test_dashboard_lists_invitations_to_answer_and_my_proposals(client):
    mine = OrganisationFactory(name="My Org")
    user = member_of(mine)
    led = ProposalFactory(title="Our own proposal", lead_participant=mine)
    invitation = ParticipantFactory(
        proposal=ProposalFactory(title="Please join us"), organisation=mine
    )
    answered = ParticipantFactory(
        proposal=ProposalFactory(title="Answered already"), organisation=mine, answer="declined"
    )
    ParticipantFactory(
        proposal=ProposalFactory(title="Still a draft", status=ProposalStatus.DRAFT),
        organisation=mine,
    )
    client.force_login(user)

    response = client.get(URL)

    body = response.content.decode()
    assert list(response.context["partnership_invitations"]) == [invitation]
    assert "Please join us" in body
    assert answered.proposal.title not in body
    assert "Still a draft" not in body
    assert list(response.context["my_proposals"]) == [led]


def test_dashboard_suggests_partners_for_the_chosen_organisation(client):
    first = OrganisationFactory(name="A First", kind="diaspora", themes=["Youth"])
    second = OrganisationFactory(name="B Second", kind="diaspora", themes=["Gender"])
    OrganisationFactory(name="Youth NGO", kind="ngo", themes=["Youth"])
    OrganisationFactory(name="Gender NGO", kind="ngo", themes=["Gender"])
    user = member_of(first)
    MembershipFactory(user=user, organisation=second)
    client.force_login(user)

    default = client.get(URL)
    chosen = client.get(URL, {"suggest_for": second.slug})

    assert [s.organisation.name for s in default.context["suggested_partners"]] == ["Youth NGO"]
    assert [s.organisation.name for s in chosen.context["suggested_partners"]] == ["Gender NGO"]
    assert "Works on Gender, as you do." in chosen.content.decode()


def test_home_lists_proposals_looking_for_partners(client):
    ProposalFactory(title="Join our youth dialogue", is_open_call=True)
    ProposalFactory(title="Already active", status=ProposalStatus.ACTIVE)

    body = client.get(reverse("home")).content.decode()

    assert "Join our youth dialogue" in body
    assert "Already active" not in body


def test_dashboard_suggestions_are_kept_until_an_organisation_changes(
    client, django_capture_on_commit_callbacks
):
    mine = OrganisationFactory(kind="diaspora", themes=["Youth"])
    OrganisationFactory(name="Youth NGO", kind="ngo", themes=["Youth"])
    client.force_login(member_of(mine))
    first = client.get(URL)

    with CaptureQueriesContext(connection) as kept_queries:
        kept = client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory(name="Newcomer NGO", kind="ngo", themes=["Youth"])
    with CaptureQueriesContext(connection) as fresh_queries:
        fresh = client.get(URL)

    names = [s.organisation.name for s in first.context["suggested_partners"]]
    assert names == ["Youth NGO"]
    assert kept.context["suggested_partners"] == first.context["suggested_partners"]
    assert len(kept_queries) < len(fresh_queries)  # Kept: not worked out again.
    assert [s.organisation.name for s in fresh.context["suggested_partners"]] == [
        "Newcomer NGO",
        "Youth NGO",
    ]


def test_dashboard_suggestions_give_their_reasons_in_the_readers_language(client):
    mine = OrganisationFactory(kind="diaspora", themes=["Youth"])
    OrganisationFactory(name="Youth NGO", kind="ngo", themes=["Youth"])
    client.force_login(member_of(mine))
    english = client.get(URL)

    dutch = client.get(in_language(URL, "nl"))

    (english_reasons,) = [s.reason_text for s in english.context["suggested_partners"]]
    (dutch_reasons,) = [s.reason_text for s in dutch.context["suggested_partners"]]
    assert english_reasons != dutch_reasons
