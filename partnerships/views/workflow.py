"""The steps of a proposal's workflow, one POST view each."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.models import Organisation

from .. import services
from ..forms import (
    AnswerForm,
    DecideInterestForm,
    InterestForm,
    InviteForm,
    NoteForm,
    ProgressUpdateForm,
)
from .proposal import _done, _refused, get_proposal_for_user


@login_required
@require_POST
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    try:
        services.submit_proposal(proposal=proposal, by=request.user)
    except services.ProposalError as error:
        return _refused(request, proposal, error)
    return _done(request, proposal, _("The proposal is open; the invited organisations are told."))


@login_required
@require_POST
def answer(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    # Any invitation may be named; the service refuses one the user cannot act for.
    form = AnswerForm(request.POST, participants=proposal.participants.all())
    if not form.is_valid():
        return _refused(request, proposal, _("Choose accept or decline for an invitation."))
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.answer_invitation(
            participant=form.cleaned_data["participant"],
            by=request.user,
            accept=accept,
            message=form.cleaned_data["message"],
        )
    except services.ProposalError as error:
        return _refused(request, proposal, error)
    if accept:
        return _done(request, proposal, _("You accepted the invitation."))
    return _done(request, proposal, _("You declined the invitation."))


@login_required
@require_POST
def interest(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    form = InterestForm(request.POST, organisations=Organisation.objects.all())
    if not form.is_valid():
        return _refused(request, proposal, _("Choose the organisation you join for."))
    try:
        services.express_interest(
            proposal=proposal,
            organisation=form.cleaned_data["organisation"],
            by=request.user,
            message=form.cleaned_data["message"],
        )
    except services.ProposalError as error:
        return _refused(request, proposal, error)
    return _done(request, proposal, _("Your interest is sent; the lead will answer."))


@login_required
@require_POST
def decide(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    form = DecideInterestForm(request.POST, participants=proposal.participants.all())
    if not form.is_valid():
        return _refused(request, proposal, _("Choose accept or decline for an interest."))
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.decide_interest(
            participant=form.cleaned_data["participant"], by=request.user, accept=accept
        )
    except services.ProposalError as error:
        return _refused(request, proposal, error)
    name = form.cleaned_data["participant"].organisation
    if accept:
        return _done(request, proposal, _("%(name)s joins the partnership.") % {"name": name})
    return _done(request, proposal, _("You declined the interest of %(name)s.") % {"name": name})


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _refused(request, proposal, _("Choose a published organisation to invite."))
    try:
        invited = services.invite_partners(
            proposal=proposal, organisations=[form.cleaned_data["organisation"]], by=request.user
        )
    except services.ProposalError as error:
        return _refused(request, proposal, error)
    if not invited:
        return _refused(request, proposal, _("That organisation already takes part."))
    return _done(
        request,
        proposal,
        _("%(name)s is invited.") % {"name": form.cleaned_data["organisation"]},
    )


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, slug)
    try:
        services.start_partnership(proposal=proposal, by=request.user)
    except services.ProposalError as error:
        return _refused(request, proposal, error)
    return _done(request, proposal, _("The partnership is active."))


def _finish(request, slug, *, prefix, finish, done):
    """Withdraw or complete a proposal with the optional note of the ``prefix`` form. A note
    that is not valid refuses the step with its error; it is never dropped silently."""
    proposal = get_proposal_for_user(request, slug)
    form = NoteForm(request.POST, prefix=prefix)
    if not form.is_valid():
        note = form["note"]
        return _refused(request, proposal, f"{note.label}: {' '.join(note.errors)}")
    try:
        finish(proposal=proposal, by=request.user, note=form.cleaned_data["note"])
    except services.ProposalError as error:
        return _refused(request, proposal, error)
    return _done(request, proposal, done)


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
        return _refused(request, proposal, _("The update was not posted: %s") % errors)
    try:
        services.post_progress_update(
            proposal=proposal,
            organisation=form.cleaned_data["organisation"],
            by=request.user,
            text=form.cleaned_data["text"],
            date=form.cleaned_data["date"],
        )
    except services.ProposalError as error:
        return _refused(request, proposal, error)
    return _done(request, proposal, _("Your progress update is posted."))
