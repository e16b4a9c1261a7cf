"""Proposing a partnership, with the partner picker."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from organisations.models import Organisation
from peacenet.lib.errors import DomainError

from .. import services
from ..forms import (
    ProposalForm,
)
from ..models import (
    ProposalStatus,
)

PARTNER_RESULTS = 15


def _partner_choices(chosen_ids, query):
    """The organisations to show as checkboxes: those chosen, then search results."""
    published = Organisation.objects.published()
    chosen = list(published.filter(pk__in=chosen_ids)) if chosen_ids else []
    results = []
    if query:
        results = list(
            published.names_containing(query).order_by("name")[: PARTNER_RESULTS + len(chosen)]
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
            except DomainError as error:
                form.add_error(None, error.message)
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
@require_safe
def partner_search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type for the proposal form's partner picker (an htmx partial)."""
    choices = _partner_choices(
        _ids(request.GET.getlist("partners")),
        request.GET.get("partner_search", "").strip()[:100],
    )
    return render(request, "partnerships/propose.html#partner-choices", choices)
