"""One proposal: its page, what the current user may do on it, and editing its text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from organisations.models import Organisation
from peacenet.lib import history
from peacenet.lib.actions import refused
from peacenet.lib.caching import cached_for_generation
from peacenet.lib.cards import name_card
from peacenet.lib.links import absolute_url

from .. import services
from ..forms import (
    DeliverableForm,
    InterestForm,
    NoteForm,
    ProgressUpdateForm,
    ProposalEditForm,
)
from ..models import (
    FINISHED,
    Deliverable,
    Participant,
    PartnershipProposal,
    StatusChange,
)
from ..suggestions import suggest_for_proposal
from .propose import _partner_choices


def get_proposal_for_user(request: HttpRequest, slug: str) -> PartnershipProposal:
    """The proposal with this slug if the user may see it, else 404."""
    proposals = (
        PartnershipProposal.objects.visible_to(request.user)
        .with_reporting()
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
    """What the current user may do on this proposal (``services.allowed_actions``), as
    forms ready to render."""
    allowed = services.allowed_actions(proposal, request.user)
    steps = allowed.steps
    actions = {
        "is_lead": allowed.is_lead,
        # Why a partner declined is for the proposal's participants, not for everyone.
        "sees_decline_messages": allowed.takes_part,
        "can_submit": "submit" in steps,
        "can_start": "start" in steps,
        "can_edit": "edit" in steps,
        "can_invite": "invite" in steps,
        "invitations": allowed.invitations,
        "interested": allowed.interested,
        "ticks_for": allowed.ticks_for,
    }
    if "deliverables" in steps:
        actions["deliverable_form"] = DeliverableForm(proposal=proposal)
    if "withdraw" in steps:
        actions["withdraw_form"] = NoteForm(prefix="withdraw")
    if "complete" in steps:
        actions["complete_form"] = NoteForm(prefix="complete")
    if allowed.may_join:
        actions["interest_form"] = InterestForm(
            organisations=Organisation.objects.filter(pk__in=[o.pk for o in allowed.may_join])
        )
    if allowed.reporting:
        actions["update_form"] = ProgressUpdateForm(
            organisations=Organisation.objects.filter(pk__in=[o.pk for o in allowed.reporting])
        )
    return actions


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render_detail(request, get_proposal_for_user(request, slug))


def render_detail(request, proposal, *, deliverable_form=None, status=200):
    """The proposal's page; ``deliverable_form`` is a bound form sent back with its errors."""
    actions = _actions(request, proposal)
    if deliverable_form is not None:
        actions["deliverable_form"] = deliverable_form
    deliverables = list(
        Deliverable.objects.filter(proposal=proposal).with_state().select_related("organisation")
    )
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
            "deliverables": deliverables,
            "deliverable_counts": {
                state: sum(d.state == state for d in deliverables) for state in Deliverable.State
            },
            "schedule": proposal.reporting,
            "suggestions": suggestions,
            "invite_query": invite_query,
            "invite_matches": invite_matches,
            "canonical_url": absolute_url(proposal.get_absolute_url()),
            "og_image": absolute_url(reverse("partnerships:card", kwargs={"slug": proposal.slug})),
            **actions,
        },
        status=status,
    )


CARD_CACHE_SECONDS = 3600


@require_safe
def card(request: HttpRequest, slug: str) -> HttpResponse:
    """The proposal's Open Graph picture: its title on PeaceNet's colour, drawn once per
    content generation and language."""
    proposal = get_proposal_for_user(request, slug)
    png = cached_for_generation(
        f"partnerships:card:v1:{proposal.pk}:{get_language()}",
        lambda: name_card(proposal.title, kicker=_("Partnership"), footer=_("PeaceNet The Hague")),
        CARD_CACHE_SECONDS,
    )
    return HttpResponse(png, content_type="image/png")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The lead corrects the proposal's text; who takes part and its status change only
    through the actions on the proposal's page."""
    proposal = get_proposal_for_user(request, slug)
    services.ensure_can_act_for(request.user, proposal.lead_organisation)
    if proposal.status in FINISHED:
        return refused(request, _("A finished proposal can no longer be edited."), proposal)
    form = ProposalEditForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if form.has_changed():
                history.record(
                    user=request.user,
                    obj=proposal,
                    message=history.changed_fields(proposal, form.changed_data),
                    flag=history.CHANGE,
                )
        messages.success(request, _("The proposal is saved."))
        return redirect(proposal)
    return render(request, "partnerships/edit.html", {"form": form, "proposal": proposal})
