"""Every change is in the admin's history with who made it: organisations (themes, groups and
countries included), memberships and claims; proposals and their participants; events, their
sessions and registrations. Each test makes the changes the way people do (the site's forms,
the services behind them, the admin) and reads the object's "History" page as staff."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from events import services as event_services
from events.models import Event
from organisations import services
from organisations.admin import ThemeInline
from organisations.models import ClaimRequest, Membership, Organisation, Theme
from partnerships import services as partnership_services
from partnerships.models import Answer, Participant, PartnershipProposal
from tests.accounts import client_as, with_second_factor
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import (
    MembershipFactory,
    NetworkGroupFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.partnerships.factories import ProposalFactory, member_of

pytestmark = pytest.mark.django_db


def history(obj):
    """``obj``'s admin history, oldest first, as (who, what) pairs in English."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("pk")
    with translation.override("en"):
        return [(entry.user, entry.get_change_message()) for entry in entries]


def history_page(client, obj):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Organisations --------------------------------------------------------------------------------


def test_a_profile_edit_is_in_the_history_with_its_themes_groups_and_countries(staff_client):
    organisation = OrganisationFactory(countries=["NL"])
    group = NetworkGroupFactory()
    editor = client_as(Client(), "editor", organisation)

    editor.post(
        reverse("organisations:edit", kwargs={"slug": organisation.slug}),
        {
            "name": organisation.name,
            "kind": organisation.kind,
            "summary": organisation.summary,
            "description": organisation.description,
            "language": organisation.language,
            "email_visibility": organisation.email_visibility,
            "phone_visibility": organisation.phone_visibility,
            "address_visibility": organisation.address_visibility,
            "city": organisation.city,
            "countries": ["SO", "KE"],
            "themes": "mediation, youth",
            "network_groups": [group.pk],
        },
    )

    (who, what), *_ = history(organisation)
    assert who == editor.user
    assert what == "Changed countries of focus, themes and network groups."
    page = history_page(staff_client, organisation)
    assert editor.user.email in page
    assert "Changed countries of focus, themes and network groups." in page


def admin_form_data(page):
    """What the admin's change form in ``page`` would send back unchanged."""
    data = {}
    form = page.context["adminform"].form
    formsets = [inline.formset for inline in page.context["inline_admin_formsets"]]
    forms = [(form, None)] + [(each, formset.prefix) for formset in formsets for each in formset]
    forms += [(formset.management_form, formset.prefix) for formset in formsets]
    for each, _prefix in forms:
        for name in each.fields:
            value = each[name].value()
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            key = each.add_prefix(name)
            data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


def test_staff_changes_to_themes_groups_and_countries_in_the_admin_are_in_the_history(
    staff_client, staff
):
    organisation = OrganisationFactory(countries=["NL"])
    group = NetworkGroupFactory()
    theme = Theme.objects.create(name="Mediation", slug="mediation")
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    page = staff_client.get(url)
    data = admin_form_data(page)
    themes = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if isinstance(inline.opts, ThemeInline)
    )

    response = staff_client.post(
        url,
        {
            **data,
            "countries": ["NL", "SO"],
            "network_groups": [str(group.pk)],
            f"{themes}-TOTAL_FORMS": "1",
            f"{themes}-0-tag": str(theme.pk),
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(organisation.themes.names()) == ["Mediation"]
    (who, what), *_ = history(organisation)
    assert who == staff
    assert "Countries of focus" in what
    assert "Network groups" in what
    assert "Added theme “Mediation”" in what


def test_a_confirmation_without_changes_is_in_the_history(client):
    organisation = OrganisationFactory()
    owner = client_as(client, "owner", organisation)

    owner.post(reverse("organisations:confirm", kwargs={"slug": organisation.slug}))

    assert history(organisation) == [(owner.user, "Confirmed that the details are current.")]


def test_registration_and_publication_name_the_owner_and_the_moderator_never_a_deleted_user(
    staff_client, staff
):
    owner = UserFactory()
    organisation = services.register_organisation(
        organisation=Organisation(name="Peace Lab", kind=Organisation.Kind.NGO, city="The Hague"),
        relations={},
        owner=owner,
    )

    staff_client.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "publish_selected", "_selected_action": [organisation.pk]},
    )

    assert history(organisation) == [
        (owner, "Registered on the site; waiting for review."),
        (staff, "Published."),
    ]
    page = history_page(staff_client, organisation)
    assert owner.email in page
    assert staff.email in page
    assert "Deleted" not in page


def test_a_rejection_keeps_its_reason_in_the_history(staff):
    organisation = OrganisationFactory(status=Organisation.Status.PENDING)

    services.reject(organisations=[organisation], by=staff, reason="No link with peace.")

    assert history(organisation) == [(staff, "Rejected: No link with peace.")]


def test_a_confirmation_by_the_emailed_link_names_the_member_it_was_sent_to(
    client, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    owner = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER).user
    with django_capture_on_commit_callbacks(execute=True):
        services.ask_to_confirm(organisations=[organisation], by=UserFactory(is_staff=True))
    link = re.search(r"https?://\S+?(/organisations/\S+/confirm/\S+/)", mail.outbox[-1].body)

    client.post(link.group(1))

    assert history(organisation) == [(owner, "Confirmed that the details are current.")]


def test_the_history_is_written_in_the_sites_language_whoever_acts(client):
    organisation = OrganisationFactory()
    owner = client_as(client, "owner", organisation)

    with translation.override("nl"):
        services.confirm_current(organisation=organisation, by=owner.user)

    entry = LogEntry.objects.get()
    assert entry.change_message == "Confirmed that the details are current."


# Memberships and claims -------------------------------------------------------------------------


def test_every_change_of_members_is_in_the_organisations_history_with_who_made_it():
    organisation = OrganisationFactory()
    owner = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER).user
    editor = UserFactory(email="editor@example.org")

    invitation = services.invite_editor(organisation=organisation, email=editor.email, by=owner)
    membership = services.accept_invitation(invitation=invitation, user=editor)
    services.make_owner(membership=membership, by=owner)
    services.step_down(membership=membership, by=editor)
    services.remove_member(membership=membership, by=owner)
    dropped = services.invite_editor(organisation=organisation, email="x@example.org", by=owner)
    services.withdraw_invitation(invitation=dropped, by=owner)

    person = editor.name_and_address
    assert history(organisation) == [
        (owner, "Invited editor@example.org to edit."),
        (editor, f"{person} accepted the invitation and became an editor."),
        (owner, f"Made {person} an owner."),
        (editor, f"{person} stepped down as owner and is an editor."),
        (owner, f"Removed {person}."),
        (owner, "Invited x@example.org to edit."),
        (owner, "Withdrew the invitation of x@example.org."),
    ]


def test_leaving_is_in_the_history_as_the_member_leaving(client):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
    editor = client_as(client, "editor", organisation)

    editor.post(reverse("organisations:leave", kwargs={"slug": organisation.slug}))

    assert history(organisation) == [(editor.user, f"{editor.user.name_and_address} left.")]


def test_a_claim_and_its_approval_in_the_admin_are_in_the_history(staff_client, staff):
    organisation = OrganisationFactory()
    requester = UserFactory()
    claim = services.request_claim(
        organisation=organisation, user=requester, justification="I founded it."
    )

    staff_client.post(
        reverse("admin:organisations_claimrequest_changelist"),
        {"action": "approve_selected", "_selected_action": [claim.pk]},
    )

    claim.refresh_from_db()
    assert claim.status == ClaimRequest.Status.APPROVED
    assert history(claim) == [(requester, "Asked to claim the entry."), (staff, "Approved.")]
    assert history(organisation) == [
        (staff, f"{requester.name_and_address} made owner: their claim was approved.")
    ]
    assert requester.email in history_page(staff_client, claim)


def test_a_declined_claim_keeps_the_note_in_the_history(staff):
    claim = services.request_claim(
        organisation=OrganisationFactory(), user=UserFactory(), justification="Mine."
    )

    services.decline_claim(claim=claim, by=staff, note="We could not verify it.")

    assert history(claim)[-1] == (staff, "Declined: We could not verify it.")


# Proposals and participants ---------------------------------------------------------------------


def test_a_proposals_steps_and_its_participants_answers_are_in_its_history(staff_client):
    lead = OrganisationFactory(name="Lead")
    partner = OrganisationFactory(name="Partner")
    lead_member, partner_member = member_of(lead), member_of(partner)
    proposal = partnership_services.create_proposal(
        proposal=PartnershipProposal(title="Youth and peace", summary="Together."),
        themes=["Youth"],
        lead=lead,
        partners=[partner],
        by=lead_member,
        submit=True,
    )
    participant = Participant.objects.get(proposal=proposal, organisation=partner)

    partnership_services.answer_invitation(
        participant=participant, by=partner_member, accept=True, message="Gladly."
    )

    assert history(proposal) == [
        (lead_member, "Status: Draft."),
        (lead_member, "Status: Draft → Open: seeking partners."),
        (partner_member, "Partner: Invited → Accepted. Gladly."),
        (partner_member, "Status: Open: seeking partners → Forming."),
        (partner_member, "Status: Forming → Active."),
    ]
    assert partner_member.email in history_page(staff_client, proposal)


def test_invitations_edits_and_moderation_of_a_proposal_are_in_its_history(client, staff):
    lead = OrganisationFactory()
    proposal = ProposalFactory(lead_participant=lead)
    editor = client_as(client, "owner", lead)
    invited = OrganisationFactory(name="Invited")

    partnership_services.invite_partners(
        proposal=proposal, organisations=[invited], by=editor.user
    )
    editor.post(
        reverse("partnerships:edit", kwargs={"slug": proposal.slug}),
        {
            "title": proposal.title,
            "summary": "A new summary.",
            "description": proposal.description,
            "goals": proposal.goals,
        },
    )
    partnership_services.hide_proposal(
        proposal=proposal, by=with_second_factor(staff), reason="Advertising."
    )

    assert history(proposal) == [
        (editor.user, "Invited Invited."),
        (editor.user, "Changed summary."),
        (staff, "Hidden by the moderators. Advertising."),
    ]
    assert Participant.objects.get(organisation=invited).answer == Answer.INVITED


# Events, sessions and registrations -------------------------------------------------------------


def test_registrations_cancellations_and_promotions_are_in_the_events_history():
    event = EventFactory(capacity=1)
    first, second = UserFactory(), UserFactory()

    event_services.register(event=event, user=first)
    event_services.register(event=event, user=second)
    event_services.cancel_registration(event=event, user=first)

    assert history(event) == [
        (first, f"{first.name_and_address} registered (Confirmed)."),
        (second, f"{second.name_and_address} registered (On the waiting list)."),
        (first, f"{first.name_and_address} cancelled."),
        (first, f"{second.name_and_address} moved from the waiting list to a place."),
    ]


def test_a_session_changed_in_the_admin_is_in_its_history(staff_client, staff):
    session = SessionFactory(event=EventFactory(), title="Opening")

    staff_client.post(
        reverse("admin:events_session_change", args=[session.pk]),
        {
            "event": session.event.pk,
            "kind": session.kind,
            "position": session.position,
            "title": "Opening plenary",
            "description": "",
            "notes": "",
            "speakers-TOTAL_FORMS": 0,
            "speakers-INITIAL_FORMS": 0,
        },
    )

    session.refresh_from_db()
    assert session.title == "Opening plenary"
    assert history(session) == [(staff, "Changed Title.")]
    assert staff.email in history_page(staff_client, session)


def test_raising_an_events_capacity_in_the_admin_names_staff_for_the_promotion(staff):
    event = EventFactory(capacity=1)
    waiting = UserFactory()
    event_services.register(event=event, user=UserFactory())
    event_services.register(event=event, user=waiting)
    Event.objects.filter(pk=event.pk).update(capacity=2)

    event_services.fill_free_places(event=event, by=staff)

    assert history(event)[-1] == (
        staff,
        f"{waiting.name_and_address} moved from the waiting list to a place.",
    )
