import pytest
from django.core.management import call_command

from partnerships.models import Answer, PartnershipProposal, ProposalStatus, StatusChange

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
