"""The steps of a proposal's workflow, one POST view each, all of one shape: fetch the
proposal for the user, read the step's form, call the service through
``peacenet.lib.actions.post_action`` and go back to the proposal with a message."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.models import Organisation
from peacenet.lib.actions import post_action, refused

from .. import services
from ..forms import (
    AnswerForm,
    DecideInterestForm,
    DeliverableDoneForm,
    DeliverableForm,
    InterestForm,
    InviteForm,
    NoteForm,
    ProgressUpdateForm,
)
from .proposal import get_proposal_for_user, render_detail


@login_required
@require_POST
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    return post_action(
        request,
        lambda: services.submit_proposal(proposal=proposal, by=request.user),
        done=_("The proposal is open; the invited organisations are told."),
        to=proposal,
    )


@login_required
@require_POST
def answer(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    # Any invitation may be named; the service refuses one the user cannot act for.
    form = AnswerForm(request.POST, participants=proposal.participants.all())
    if not form.is_valid():
        return refused(request, _("Choose accept or decline for an invitation."), proposal)
    accept = form.cleaned_data["decision"] == "accept"
    return post_action(
        request,
        lambda: services.answer_invitation(
            participant=form.cleaned_data["participant"],
            by=request.user,
            accept=accept,
            message=form.cleaned_data["message"],
        ),
        done=_("You accepted the invitation.") if accept else _("You declined the invitation."),
        to=proposal,
    )


@login_required
@require_POST
def interest(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    form = InterestForm(request.POST, organisations=Organisation.objects.all())
    if not form.is_valid():
        return refused(request, _("Choose the organisation you join for."), proposal)
    return post_action(
        request,
        lambda: services.express_interest(
            proposal=proposal,
            organisation=form.cleaned_data["organisation"],
            by=request.user,
            message=form.cleaned_data["message"],
        ),
        done=_("Your interest is sent; the lead will answer."),
        to=proposal,
    )


@login_required
@require_POST
def decide(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    form = DecideInterestForm(request.POST, participants=proposal.participants.all())
    if not form.is_valid():
        return refused(request, _("Choose accept or decline for an interest."), proposal)
    accept = form.cleaned_data["decision"] == "accept"
    name = form.cleaned_data["participant"].organisation
    return post_action(
        request,
        lambda: services.decide_interest(
            participant=form.cleaned_data["participant"], by=request.user, accept=accept
        ),
        done=(
            _("%(name)s joins the partnership.") % {"name": name}
            if accept
            else _("You declined the interest of %(name)s.") % {"name": name}
        ),
        to=proposal,
    )


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return refused(request, _("Choose a published organisation to invite."), proposal)
    organisation = form.cleaned_data["organisation"]
    return post_action(
        request,
        lambda: services.invite_partner(
            proposal=proposal, organisation=organisation, by=request.user
        ),
        done=_("%(name)s is invited.") % {"name": organisation},
        to=proposal,
    )


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    return post_action(
        request,
        lambda: services.start_partnership(proposal=proposal, by=request.user),
        done=_("The partnership is active."),
        to=proposal,
    )


def _finish(request, slug, *, prefix, finish, done):
    """Withdraw or complete a proposal with the optional note of the ``prefix`` form. A note
    that is not valid refuses the step with its error; it is never dropped silently."""
    proposal = get_proposal_for_user(request, slug)
    form = NoteForm(request.POST, prefix=prefix)
    if not form.is_valid():
        note = form["note"]
        return refused(request, f"{note.label}: {' '.join(note.errors)}", proposal)
    return post_action(
        request,
        lambda: finish(proposal=proposal, by=request.user, note=form.cleaned_data["note"]),
        done=done,
        to=proposal,
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    return _finish(
        request,
        slug,
        prefix="withdraw",
        finish=services.withdraw_proposal,
        done=_("The proposal is withdrawn."),
    )


@login_required
@require_POST
def complete(request: HttpRequest, slug: str) -> HttpResponse:
    return _finish(
        request,
        slug,
        prefix="complete",
        finish=services.complete_proposal,
        done=_("The partnership is marked completed."),
    )


@login_required
@require_POST
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    form = ProgressUpdateForm(request.POST, organisations=Organisation.objects.all())
    if not form.is_valid():
        errors = "; ".join(e for errors in form.errors.values() for e in errors)
        return refused(request, _("The update was not posted: %s") % errors, proposal)
    return post_action(
        request,
        lambda: services.post_progress_update(
            proposal=proposal,
            organisation=form.cleaned_data["organisation"],
            by=request.user,
            text=form.cleaned_data["text"],
            date=form.cleaned_data["date"],
        ),
        done=_("Your progress update is posted."),
        to=proposal,
    )


@login_required
@require_POST
def add_deliverable(request: HttpRequest, slug: str) -> HttpResponse:
    """The lead adds a deliverable; a form with errors comes back on the proposal's page."""
    proposal = get_proposal_for_user(request, slug)
    services.ensure_can_act_for(request.user, proposal.lead_organisation)
    form = DeliverableForm(request.POST, proposal=proposal)
    if not form.is_valid():
        return render_detail(request, proposal, deliverable_form=form, status=400)
    return post_action(
        request,
        lambda: services.add_deliverable(
            proposal=proposal,
            title=form.cleaned_data["title"],
            organisation=form.cleaned_data["organisation"],
            due=form.cleaned_data["due"],
            by=request.user,
        ),
        done=lambda deliverable: (
            _("“%(title)s” is added to the deliverables.") % {"title": deliverable.title}
        ),
        to=proposal,
    )


@login_required
@require_POST
def deliverable_done(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    form = DeliverableDoneForm(request.POST, proposal=proposal)
    if not form.is_valid():
        if "deliverable" in form.errors:
            return refused(request, _("Choose a deliverable of this proposal."), proposal)
        note = form["note"]
        return refused(request, f"{note.label}: {' '.join(note.errors)}", proposal)
    deliverable = form.cleaned_data["deliverable"]
    return post_action(
        request,
        lambda: services.mark_deliverable_done(
            deliverable=deliverable, by=request.user, note=form.cleaned_data["note"]
        ),
        done=_("“%(title)s” is marked done.") % {"title": deliverable.title},
        to=proposal,
    )
