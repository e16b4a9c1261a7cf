import pytest

from organisations.models import Capacity
from partnerships.suggestions import suggest_for_organisation, suggest_for_proposal
from tests.factories import NetworkGroupFactory, OrganisationFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def capacities():
    return {
        "funding": Capacity.objects.create(slug="funding", name="Project funding"),
        "community": Capacity.objects.create(slug="community", name="Community access"),
    }


@pytest.fixture
def congolese_women(capacities):
    """A small diaspora group on women, peace and security in DR Congo that needs funding."""
    group = NetworkGroupFactory(name="Gender")
    organisation = OrganisationFactory(
        name="Congolese Women", kind="diaspora", countries=["CD"], themes=["Gender"]
    )
    organisation.network_groups.add(group)
    organisation.offers.add(capacities["community"])
    organisation.needs.add(capacities["funding"])
    return organisation


def test_suggestions_rank_the_complementary_ngo_first(congolese_women, capacities):
    group = congolese_women.network_groups.get()
    # The obvious partner: an NGO on gender in DR Congo, in the same group, offering funding.
    ngo = OrganisationFactory(name="Great Lakes NGO", kind="ngo", countries=["CD"])
    ngo.themes.set(["Gender"])
    ngo.network_groups.add(group)
    ngo.offers.add(capacities["funding"])
    ngo.needs.add(capacities["community"])
    # Similar, but of the same kind and offering nothing that is needed.
    twin = OrganisationFactory(name="Another Diaspora Group", kind="diaspora")
    twin.themes.set(["Gender"])
    # Different kind, but shares only one theme.
    ministry = OrganisationFactory(name="A Ministry", kind="government", themes=["Gender"])
    # Different kind, shares nothing at all: not suggested.
    OrganisationFactory(name="Unrelated Institute", kind="knowledge_institute", themes=["Media"])
    # A perfect match that is not published: not suggested.
    hidden = OrganisationFactory(name="Pending NGO", kind="ngo", status="pending")
    hidden.themes.set(["Gender"])

    suggestions = suggest_for_organisation(congolese_women)

    assert [s.organisation for s in suggestions] == [ngo, ministry, twin]
    assert [s.score for s in suggestions] == [12, 4, 2]
    reasons = suggestions[0].reason_text
    assert "different kind of organisation (NGO)" in reasons
    assert "both work on Gender" in reasons
    assert "both are in the Gender network group" in reasons
    assert "both work in Democratic Republic of the Congo" in reasons
    assert "they offer project funding, which you need" in reasons
    assert "they need community access, which you offer" in reasons


def test_suggestions_for_a_proposal_leave_out_its_participants(congolese_women):
    proposal = ProposalFactory(lead_participant=congolese_women, is_open_call=True)
    taking_part = OrganisationFactory(kind="ngo", themes=["Gender"])
    ParticipantFactory(proposal=proposal, organisation=taking_part)
    free = OrganisationFactory(kind="ngo", themes=["Gender"])

    suggestions = suggest_for_proposal(proposal)

    assert [s.organisation for s in suggestions] == [free]


def test_suggestions_for_a_proposal_use_its_own_themes():
    lead = OrganisationFactory(kind="diaspora")
    proposal = ProposalFactory(lead_participant=lead, themes=["Youth"])
    youth = OrganisationFactory(kind="ngo", themes=["Youth"])

    suggestions = suggest_for_proposal(proposal)

    assert [s.organisation for s in suggestions] == [youth]
    assert "both work on Youth" in suggestions[0].reason_text


def test_suggestions_without_anything_in_common_are_empty():
    lonely = OrganisationFactory(kind="diaspora")
    OrganisationFactory(kind="ngo")

    assert suggest_for_organisation(lonely) == []


def test_suggestions_keep_the_best_when_the_database_narrows_the_candidates(monkeypatch):
    monkeypatch.setattr("partnerships.suggestions.MAX_CANDIDATES", 2)
    me = OrganisationFactory(kind="diaspora", themes=["Gender", "Youth", "Media"])
    best = OrganisationFactory(name="Best", kind="ngo", themes=["Gender", "Youth", "Media"])
    good = OrganisationFactory(name="Good", kind="ngo", themes=["Gender", "Youth"])
    OrganisationFactory(name="Fair", kind="ngo", themes=["Gender"])

    suggestions = suggest_for_organisation(me)

    assert [s.organisation for s in suggestions] == [best, good]


def test_suggestions_include_organisations_sharing_only_a_country():
    me = OrganisationFactory(kind="diaspora", countries=["SO"])
    somalia = OrganisationFactory(name="Somalia NGO", kind="ngo", countries=["SO", "KE"])

    suggestions = suggest_for_organisation(me)

    assert [s.organisation for s in suggestions] == [somalia]
    assert "both work in Somalia" in suggestions[0].reason_text


def test_each_suggestion_leads_with_its_own_strongest_reason(client):
    lead = OrganisationFactory(kind="diaspora", countries=["SO", "KE"], themes=["Youth", "Media"])
    proposal = ProposalFactory(lead_participant=lead)
    OrganisationFactory(name="Somali Youth NGO", kind="ngo", countries=["SO"], themes=["Youth"])
    OrganisationFactory(name="Kenya Media Lab", kind="ngo", countries=["KE"], themes=["Media"])
    OrganisationFactory(name="Nairobi Office", kind="government", countries=["KE"])

    suggestions = {s.organisation.name: s for s in suggest_for_proposal(proposal)}

    assert suggestions["Somali Youth NGO"].headline == "Works on Youth in Somalia, as you do."
    assert suggestions["Kenya Media Lab"].headline == "Works on Media in Kenya, as you do."
    assert suggestions["Nairobi Office"].headline == "Works in Kenya, as you do."
    # The headline is not said twice, and the kind is left to the list's introduction.
    assert suggestions["Somali Youth NGO"].details == []


def test_the_proposal_page_says_the_shared_sentence_once(client):
    lead = OrganisationFactory(kind="diaspora", countries=["SO"], themes=["Youth"])
    proposal = ProposalFactory(lead_participant=lead)
    OrganisationFactory(name="Youth NGO", kind="ngo", countries=["SO"], themes=["Youth"])
    OrganisationFactory(name="Somalia Office", kind="government", countries=["SO"])
    client.force_login(member_of(lead))

    html = client.get(proposal.get_absolute_url()).content.decode()

    assert html.count("a different kind of organisation from yours ranks higher") == 1
    assert "different kind of organisation (" not in html
    assert html.count("Works on Youth in Somalia, as you do.") == 1
    assert html.count("Works in Somalia, as you do.") == 1
