"""One proposal: its page, what the current user may do on it, and editing its text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from organisations.models import Organisation
from peacenet.lib.staff import has_staff_powers

from .. import services
from ..forms import (
    InterestForm,
    NoteForm,
    ProgressUpdateForm,
    ProposalEditForm,
)
from ..models import (
    FINISHED,
    RECRUITING,
    Answer,
    Participant,
    PartnershipProposal,
    ProposalStatus,
    StatusChange,
)
from ..suggestions import suggest_for_proposal
from .propose import _partner_choices


def get_proposal_for_user(request: HttpRequest, slug: str) -> PartnershipProposal:
    """The proposal with this slug if the user may see it, else 404."""
    proposals = (
        PartnershipProposal.objects.visible_to(request.user)
        .select_related("network_group", "follow_up__event")
        .prefetch_related(
            "themes",
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("organisation"),
            ),
        )
    )
    return get_object_or_404(proposals, slug=slug)


def _actions(request, proposal):
    """What the current user may do on this proposal, as forms ready to render."""
    user = request.user
    if not user.is_authenticated:
        return {}
    # The user's own organisations; staff may also act for any other (checked below).
    staff = has_staff_powers(user)
    mine = set(user.memberships.values_list("organisation_id", flat=True))
    participants = proposal.participants.all()
    lead = proposal.lead
    is_lead = bool(lead) and (staff or lead.organisation_id in mine)
    taking_part = {p.organisation_id for p in participants}
    recruiting = proposal.status in RECRUITING and not proposal.is_hidden
    actions = {
        "is_lead": is_lead,
        # Why a partner declined is for the proposal's participants, not for everyone.
        "sees_decline_messages": staff or bool(mine & taking_part),
    }

    invited = [
        p
        for p in participants
        if p.answer == Answer.INVITED and (p.organisation_id in mine or staff)
    ]
    if recruiting and invited:
        actions["invitations"] = invited

    if recruiting and proposal.is_open_call:
        own = Organisation.objects.published().filter(memberships__user=user)
        own = own.exclude(pk__in=taking_part)
        if own:
            actions["interest_form"] = InterestForm(organisations=own)

    if is_lead:
        interested = [p for p in participants if p.answer == Answer.INTERESTED]
        if recruiting and interested:
            actions["interested"] = interested
        if proposal.status == ProposalStatus.DRAFT:
            actions["can_submit"] = True
        if proposal.status not in FINISHED:
            actions["withdraw_form"] = NoteForm(prefix="withdraw")
        if proposal.status == ProposalStatus.FORMING:
            actions["can_start"] = True
        if proposal.status == ProposalStatus.ACTIVE:
            actions["complete_form"] = NoteForm(prefix="complete")
        if proposal.status not in FINISHED:
            actions["can_edit"] = True
        if proposal.status == ProposalStatus.DRAFT or recruiting:
            actions["can_invite"] = True

    accepted_ids = [
        p.organisation_id
        for p in participants
        if p.answer == Answer.ACCEPTED and (p.organisation_id in mine or staff)
    ]
    if proposal.status == ProposalStatus.ACTIVE and accepted_ids:
        actions["update_form"] = ProgressUpdateForm(
            organisations=Organisation.objects.filter(pk__in=accepted_ids)
        )
    return actions


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    actions = _actions(request, proposal)
    history = StatusChange.objects.filter(proposal=proposal).select_related("organisation", "by")
    updates = proposal.progress_updates.select_related("organisation")
    suggestions, invite_query, invite_matches = [], "", []
    if actions.get("can_invite"):
        suggestions = suggest_for_proposal(proposal)
        invite_query = request.GET.get("invite_q", "").strip()[:100]
        if invite_query:
            taking_part = [p.organisation_id for p in proposal.participants.all()]
            invite_matches = _partner_choices([], invite_query)["results"]
            invite_matches = [o for o in invite_matches if o.pk not in taking_part]
    return render(
        request,
        "partnerships/detail.html",
        {
            "proposal": proposal,
            "participants": proposal.participants.all(),
            "history": history,
            "updates": updates,
            "suggestions": suggestions,
            "invite_query": invite_query,
            "invite_matches": invite_matches,
            **actions,
        },
    )


def _done(request, proposal, message):
    messages.success(request, message)
    return redirect(proposal)


def _refused(request, proposal, error):
    messages.error(request, str(error))
    return redirect(proposal)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The lead corrects the proposal's text; who takes part and its status change only
    through the actions on the proposal's page."""
    proposal = get_proposal_for_user(request, slug)
    services.ensure_can_act_for(request.user, proposal.lead_organisation)
    if proposal.status in FINISHED:
        return _refused(request, proposal, _("A finished proposal can no longer be edited."))
    form = ProposalEditForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        form.save()
        return _done(request, proposal, _("The proposal is saved."))
    return render(request, "partnerships/edit.html", {"form": form, "proposal": proposal})
