"""Open calls with a deadline and a funding call: dates validated, the list sorted by deadline
with expired calls left out unless asked, and interest refused once the call has closed."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from partnerships import services
from partnerships.models import Answer, PartnershipProposal, ProposalStatus
from peacenet.lib.errors import DomainError
from tests.clock import NOW
from tests.factories import OrganisationFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

TODAY = NOW.date()  # 10 June 2026
DAY = datetime.timedelta(days=1)


def _proposal_data(lead, **extra):
    return {
        "title": "Protecting human rights defenders",
        "lead": lead.pk,
        "summary": "NGOs and diaspora together.",
        "description": "Why and how.",
        "themes": "Human rights",
        "is_open_call": "on",
        "action": "submit",
        **extra,
    }


@pytest.fixture
def lead():
    return OrganisationFactory(name="Lead Org")


def test_an_open_call_is_proposed_with_a_deadline_and_a_funding_call(client, lead):
    client.force_login(member_of(lead))
    form = client.get(reverse("partnerships:propose")).content.decode()
    for name in ("deadline", "funding_name", "funding_url", "funding_deadline"):
        assert f'name="{name}"' in form

    response = client.post(
        reverse("partnerships:propose"),
        _proposal_data(
            lead,
            deadline="2026-07-01",
            funding_name="EU CERV call for civil society",
            funding_url="https://ec.europa.eu/info/funding-tenders/",
            funding_deadline="2026-09-15",
        ),
    )

    proposal = PartnershipProposal.objects.get()
    assert response.status_code == 302
    assert (proposal.deadline, proposal.funding_deadline) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 15),
    )
    assert proposal.funding_name == "EU CERV call for civil society"
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Deadline to join" in html
    assert 'href="https://ec.europa.eu/info/funding-tenders/"' in html
    assert "deadline 15 September 2026" in html


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"deadline": "2026-06-09"},
            "The deadline cannot be in the past (today is 10 June 2026).",
        ),
        (
            {"funding_name": "A fund", "funding_deadline": "2026-01-01"},
            "The deadline cannot be in the past",
        ),
        ({"deadline": "2026-13-01"}, "Enter a valid date."),
        (
            {"deadline": "2026-07-01", "is_open_call": ""},
            "Only an open call has a deadline to join",
        ),
        (
            {"funding_name": "A fund", "funding_url": "javascript:alert(1)"},
            "Enter a valid URL.",
        ),
        (
            {"funding_name": "A fund", "funding_url": "ftp://example.org/call"},
            "Enter a valid URL.",
        ),
        (
            {"funding_url": "https://example.org/call"},
            "Name the fund or call that the link and its deadline belong to.",
        ),
    ],
)
def test_bad_call_dates_and_links_get_a_clear_message_and_save_nothing(
    client, lead, extra, message
):
    client.force_login(member_of(lead))

    response = client.post(reverse("partnerships:propose"), _proposal_data(lead, **extra))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PartnershipProposal.objects.exists()


def test_editing_keeps_a_deadline_that_has_since_passed_but_refuses_a_new_past_one(client, lead):
    proposal = ProposalFactory(
        lead_participant=lead, is_open_call=True, deadline=TODAY - DAY, summary="Old summary."
    )
    client.force_login(member_of(lead))
    url = reverse("partnerships:edit", kwargs={"slug": proposal.slug})
    fields = {
        "title": proposal.title,
        "summary": "New summary.",
        "description": proposal.description,
        "is_open_call": "on",
        "deadline": (TODAY - DAY).isoformat(),
    }

    assert client.post(url, fields).status_code == 302
    proposal.refresh_from_db()
    assert proposal.summary == "New summary."

    response = client.post(url, {**fields, "summary": "Newer.", "deadline": "2026-06-01"})
    assert "The deadline cannot be in the past" in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.summary, proposal.deadline) == ("New summary.", TODAY - DAY)


def _titles(response):
    return [proposal.title for proposal in response.context["page_obj"]]


def test_list_sorts_open_calls_by_deadline_and_leaves_out_expired_ones(client):
    ProposalFactory(title="No deadline", is_open_call=True)
    ProposalFactory(title="In a month", is_open_call=True, deadline=TODAY + 30 * DAY)
    ProposalFactory(title="Closes today", is_open_call=True, deadline=TODAY)
    ProposalFactory(title="Expired", is_open_call=True, deadline=TODAY - DAY)
    ProposalFactory(
        title="Active, call expired",
        is_open_call=True,
        deadline=TODAY - DAY,
        status=ProposalStatus.ACTIVE,
    )
    ProposalFactory(title="Not a call")

    shown = client.get(reverse("partnerships:list"))
    everything = client.get(reverse("partnerships:list"), {"expired": "on"})

    assert _titles(shown)[:3] == ["Closes today", "In a month", "No deadline"]
    assert "Expired" not in _titles(shown)
    assert {"Active, call expired", "Not a call"} <= set(_titles(shown))
    assert "Expired" in _titles(everything)
    assert "Closed on 9 June 2026" in everything.content.decode()
    assert "Deadline 10 June 2026" in shown.content.decode()


def test_interest_after_the_deadline_is_refused_and_the_feed_leaves_the_call_out(client):
    proposal = ProposalFactory(title="Closed call", is_open_call=True, deadline=TODAY - DAY)
    ProposalFactory(title="Still open", is_open_call=True, deadline=TODAY)
    joiner = OrganisationFactory()
    user = member_of(joiner)

    with pytest.raises(DomainError, match="closed on 9 June 2026"):
        services.express_interest(proposal=proposal, organisation=joiner, by=user)
    client.force_login(user)
    page = client.get(proposal.get_absolute_url()).content.decode()
    feed = client.get(reverse("partnerships:feed")).content.decode()

    assert "Join this open call" not in page
    assert not proposal.participants.filter(organisation=joiner).exists()
    assert mail.outbox == []
    assert "Still open" in feed
    assert "Closed call" not in feed


def test_invited_partners_may_still_answer_after_the_call_closed(client):
    proposal = ProposalFactory(is_open_call=True, deadline=TODAY - DAY)
    invited = ParticipantFactory(proposal=proposal)
    user = member_of(invited.organisation)

    services.answer_invitation(participant=invited, by=user, accept=True)

    invited.refresh_from_db()
    assert invited.answer == Answer.ACCEPTED
