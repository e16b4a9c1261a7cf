from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from taggit.models import Tag

from organisations.models import NetworkGroup, Organisation

from . import services
from .filters import ProposalFilter
from .forms import (
    AnswerForm,
    DecideInterestForm,
    InterestForm,
    InviteForm,
    NoteForm,
    ProgressUpdateForm,
    ProposalEditForm,
    ProposalForm,
)
from .models import (
    FINISHED,
    RECRUITING,
    Answer,
    Participant,
    PartnershipProposal,
    ProposalStatus,
    StatusChange,
)
from .suggestions import suggest_for_proposal

PAGE_SIZE = 20
PARTNER_RESULTS = 15


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


def _list_queryset(queryset):
    return queryset.select_related("network_group").prefetch_related(
        "themes",
        Prefetch("participants", queryset=Participant.objects.select_related("organisation")),
    )


# Lists and feed ---------------------------------------------------------------------------


def _without(query, name):
    query = query.copy()
    query.pop(name, None)
    return query


@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    public = PartnershipProposal.objects.public()
    proposal_filter = ProposalFilter(request.GET, queryset=public)
    proposals = _list_queryset(proposal_filter.qs.open_calls_first())
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))

    # Facet counts: each facet counted over the other filters' result.
    without_status = ProposalFilter(_without(request.GET, "status"), queryset=public).qs
    without_status = without_status.order_by()
    status_counts = dict(
        without_status.values_list("status").annotate(total=Count("pk", distinct=True))
    )
    without_group = ProposalFilter(_without(request.GET, "network_group"), queryset=public).qs
    without_group = without_group.order_by()
    group_counts = dict(
        without_group.values_list("network_group").annotate(total=Count("pk", distinct=True))
    )
    status_facets = [
        {"value": value, "label": label, "count": status_counts.get(value, 0)}
        for value, label in ProposalStatus.choices
        if value != ProposalStatus.DRAFT
    ]
    group_facets = [
        {"group": group, "count": group_counts.get(group.pk, 0)}
        for group in NetworkGroup.objects.all()
    ]
    without_theme = ProposalFilter(_without(request.GET, "theme"), queryset=public).qs
    items = "taggit_taggeditem_items"
    theme_facets = (
        Tag.objects.filter(
            **{
                f"{items}__content_type__app_label": PartnershipProposal._meta.app_label,
                f"{items}__content_type__model": PartnershipProposal._meta.model_name,
            }
        )
        .annotate(
            count=Count(
                items,
                filter=Q(**{f"{items}__object_id__in": without_theme.order_by().values("pk")}),
            )
        )
        .order_by("name")
    )
    context = {
        "filter": proposal_filter,
        "page_obj": page,
        "status_facets": status_facets,
        "group_facets": group_facets,
        "theme_facets": theme_facets,
        "chosen_themes": request.GET.getlist("theme"),
    }
    if request.htmx:
        return render(request, "partnerships/list.html#results", context)
    return render(request, "partnerships/list.html", context)


class OpenCallsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("PeaceNet: open calls for partners")
    subtitle = gettext_lazy(
        "Partnership proposals that any published organisation may ask to join."
    )

    def link(self):
        return reverse("partnerships:list")

    def items(self):
        return (
            PartnershipProposal.objects.open_calls()
            .order_by("-created", "pk")
            .prefetch_related(
                Prefetch(
                    "participants", queryset=Participant.objects.select_related("organisation")
                )
            )[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        lead = item.lead_organisation
        return lead.name if lead else None

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated


open_calls_feed = OpenCallsFeed()


# Proposing --------------------------------------------------------------------------------


def _partner_choices(chosen_ids, query):
    """The organisations to show as checkboxes: those chosen, then search results."""
    published = Organisation.objects.published()
    chosen = list(published.filter(pk__in=chosen_ids)) if chosen_ids else []
    results = []
    if query:
        results = list(
            published.filter(Q(name__icontains=query) | Q(short_name__icontains=query)).order_by(
                "name"
            )[: PARTNER_RESULTS + len(chosen)]
        )
        chosen_pks = {o.pk for o in chosen}
        results = [o for o in results if o.pk not in chosen_pks][:PARTNER_RESULTS]
    return {"chosen": chosen, "results": results, "query": query}


def _ids(values):
    return [int(value) for value in values if str(value).isdigit()][:50]


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    # One proposes for the published organisations one is a member of (staff too: the
    # choice stays short whatever the size of the directory).
    leads = Organisation.objects.published().filter(memberships__user=request.user)
    if not leads.exists():
        messages.error(
            request,
            _("To propose a partnership you need to be a member of a published organisation."),
        )
        return render(request, "partnerships/propose.html", {"form": None}, status=403)

    action = request.POST.get("action", "")
    if request.method == "POST" and action in ("draft", "submit"):
        form = ProposalForm(request.POST, leads=leads)
        if form.is_valid():
            try:
                proposal = services.create_proposal(
                    proposal=form.save(commit=False),
                    themes=form.cleaned_data["themes"],
                    lead=form.cleaned_data["lead"],
                    partners=list(form.cleaned_data["partners"]),
                    by=request.user,
                    submit=action == "submit",
                )
            except services.ProposalError as error:
                form.add_error(None, str(error))
            else:
                if proposal.status == ProposalStatus.DRAFT:
                    messages.success(request, _("Your proposal is saved as a draft."))
                else:
                    messages.success(
                        request, _("Your proposal is open; the invited organisations are told.")
                    )
                return redirect(proposal)
    elif request.method == "POST":
        # "Find" without JavaScript: show the form again with the search results.
        form = ProposalForm(request.POST, leads=leads)
        form.errors.clear()  # Not submitted yet: no errors to show.
    else:
        form = ProposalForm(leads=leads)
    data = request.POST if request.method == "POST" else request.GET
    choices = _partner_choices(
        _ids(data.getlist("partners")), data.get("partner_search", "").strip()[:100]
    )
    return render(request, "partnerships/propose.html", {"form": form, **choices})


@login_required
@require_GET
def partner_search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type for the proposal form's partner picker (an htmx partial)."""
    choices = _partner_choices(
        _ids(request.GET.getlist("partners")),
        request.GET.get("partner_search", "").strip()[:100],
    )
    return render(request, "partnerships/propose.html#partner-choices", choices)


# One proposal -----------------------------------------------------------------------------


def _actions(request, proposal):
    """What the current user may do on this proposal, as forms ready to render."""
    user = request.user
    if not user.is_authenticated:
        return {}
    # The user's own organisations; staff may also act for any other (checked below).
    mine = set(user.memberships.values_list("organisation_id", flat=True))
    participants = proposal.participants.all()
    lead = proposal.lead
    is_lead = bool(lead) and (user.is_staff or lead.organisation_id in mine)
    taking_part = {p.organisation_id for p in participants}
    recruiting = proposal.status in RECRUITING and not proposal.is_hidden
    actions = {"is_lead": is_lead}

    invited = [
        p
        for p in participants
        if p.answer == Answer.INVITED and (p.organisation_id in mine or user.is_staff)
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
        if p.answer == Answer.ACCEPTED and (p.organisation_id in mine or user.is_staff)
    ]
    if proposal.status == ProposalStatus.ACTIVE and accepted_ids:
        actions["update_form"] = ProgressUpdateForm(
            organisations=Organisation.objects.filter(pk__in=accepted_ids)
        )
    return actions


@require_GET
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
