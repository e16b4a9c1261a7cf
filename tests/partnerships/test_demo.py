import datetime

import pytest
from django.core.management import call_command

from partnerships.models import (
    Answer,
    Deliverable,
    PartnershipProposal,
    ProposalStatus,
    StatusChange,
)
from tests.clock import NOW

pytestmark = pytest.mark.django_db


def _load():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_has_the_nap_1325_partnership_active():
    _load()

    nap = PartnershipProposal.objects.get(slug="dutch-national-action-plan-1325")
    assert nap.status == ProposalStatus.ACTIVE
    assert nap.lead_organisation.slug == "mfa-nl"
    accepted = {p.organisation.slug for p in nap.participants.filter(answer=Answer.ACCEPTED)}
    assert {"mfa-nl", "wo-men", "tosangana"} <= accepted
    assert nap.network_group.slug == "gender"
    steps = list(StatusChange.objects.filter(proposal=nap).values_list("to_status", flat=True))
    assert steps == ["draft", "open", "forming", "active"]


def test_demo_has_an_open_call_from_the_2016_seminar():
    _load()

    call = PartnershipProposal.objects.open_calls().get()
    assert call.lead_organisation.slug == "ahrn"
    assert call.follow_up.event.slug == "partnerships-for-peace-2016"
    assert call.follow_up.proposals.get() == call


def test_demo_partnerships_load_twice_change_nothing():
    _load()
    before = list(PartnershipProposal.objects.values_list("slug", "status", "updated"))

    _load()

    assert list(PartnershipProposal.objects.values_list("slug", "status", "updated")) == before
    assert StatusChange.objects.count() == 6


@pytest.mark.time_machine(NOW, tick=False)
def test_demo_nap_1325_has_a_done_a_due_and_an_overdue_deliverable_and_recent_news(client):
    _load()

    nap = PartnershipProposal.objects.get(slug="dutch-national-action-plan-1325")
    states = dict(
        Deliverable.objects.filter(proposal=nap).with_state().values_list("state", "due")
    )
    assert sorted(states) == ["done", "due", "overdue"]
    assert states["due"] > NOW.date() > states["overdue"]
    assert nap.created_on == datetime.date(2007, 12, 1)
    assert nap.progress_updates.count() == 3
    schedule = PartnershipProposal.objects.get(pk=nap.pk).reporting
    assert schedule.no_news_since is None
    assert schedule.next_due > NOW.date()
    html = client.get(nap.get_absolute_url()).content.decode()
    assert "1 done, 1 due, 1 overdue" in html


@pytest.mark.time_machine(NOW, tick=False)
def test_demo_open_call_of_ahrn_has_a_deadline_ahead():
    _load()

    call = PartnershipProposal.objects.open_calls().get()
    assert call.lead_organisation.slug == "ahrn"
    assert call.deadline > NOW.date()
