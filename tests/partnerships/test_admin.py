import pytest
from django.core import mail
from django.urls import reverse

from partnerships.models import PartnershipProposal, ProposalStatus, StatusChange
from tests.factories import NetworkGroupFactory, OrganisationFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = pytest.mark.django_db


def test_admin_changelist_filters_and_searches(staff_client):
    group = NetworkGroupFactory()
    ProposalFactory(title="Women mediators", network_group=group)
    ProposalFactory(title="Youth dialogue", status=ProposalStatus.ACTIVE)
    url = reverse("admin:partnerships_partnershipproposal_changelist")

    response = staff_client.get(url, {"q": "mediators", "status__exact": "open"})

    assert response.status_code == 200
    assert [p.title for p in response.context["cl"].result_list] == ["Women mediators"]


def test_admin_change_page_shows_participants_and_read_only_history(staff_client):
    proposal = ProposalFactory()
    ParticipantFactory(proposal=proposal)
    StatusChange.objects.create(proposal=proposal, from_status="draft", to_status="open")
    url = reverse("admin:partnerships_partnershipproposal_change", args=[proposal.pk])

    response = staff_client.get(url)

    assert response.status_code == 200
    formsets = {
        f.opts.model._meta.model_name: f for f in response.context["inline_admin_formsets"]
    }
    assert len(formsets["participant"].formset.forms) == 2
    history = formsets["statuschange"]
    assert not history.has_add_permission
    assert not history.has_change_permission
    assert not history.has_delete_permission


def test_admin_hide_action_asks_for_a_reason_then_mails_each_lead(
    staff_client, django_capture_on_commit_callbacks
):
    lead = OrganisationFactory()
    member_of(lead, email="lead@example.org")
    proposal = ProposalFactory(lead_participant=lead)
    url = reverse("admin:partnerships_partnershipproposal_changelist")
    selection = {"action": "hide_proposals", "_selected_action": [proposal.pk]}

    asked = staff_client.post(url, selection)
    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(url, {**selection, "reason": "It sells a product."})

    assert asked.status_code == 200
    assert "reason" in asked.context["form"].fields
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.is_hidden
    assert proposal.hidden_reason == "It sells a product."
    assert mail.outbox[0].to == ["lead@example.org"]
    assert "It sells a product." in mail.outbox[0].body


def test_admin_hide_action_without_a_reason_hides_nothing(staff_client):
    proposal = ProposalFactory()
    url = reverse("admin:partnerships_partnershipproposal_changelist")

    response = staff_client.post(
        url, {"action": "hide_proposals", "_selected_action": [proposal.pk], "reason": " "}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not PartnershipProposal.objects.get().is_hidden


def test_admin_show_action_unhides(staff_client):
    proposal = ProposalFactory(is_hidden=True, hidden_reason="Spam.")
    url = reverse("admin:partnerships_partnershipproposal_changelist")

    staff_client.post(url, {"action": "show_proposals", "_selected_action": [proposal.pk]})

    proposal.refresh_from_db()
    assert (proposal.is_hidden, proposal.hidden_reason) == (False, "")
