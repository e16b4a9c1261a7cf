"""The alerts pages: following and unfollowing, "my alerts", and unsubscribing by link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from organisations.filters import DirectoryFilter
from organisations.models import NetworkGroup, Organisation
from organisations.views.directory import active_filters
from partnerships.models import PartnershipProposal
from peacenet.lib.actions import refused
from peacenet.lib.errors import DomainError

from . import services
from .forms import FollowForm, FrequencyForm
from .models import Follow, FollowKind, Frequency, Subscription

# Where a follow's target is looked for: only what visitors may see can be followed.
FOLLOWABLE = {
    FollowKind.ORGANISATION: lambda: Organisation.objects.published(),
    FollowKind.GROUP: lambda: NetworkGroup.objects.all(),
    FollowKind.PARTNERSHIP: lambda: PartnershipProposal.objects.public(),
}


def _search_label(query):
    """A followed search in words, as the directory names its filters in use."""
    filterset = DirectoryFilter(QueryDict(query))
    if not filterset.is_valid():
        return _("A search whose filters no longer exist")
    labels = [active["label"] for active in active_filters(filterset)]
    return ", ".join(str(label) for label in labels) or _("All organisations")


def _labelled(followed):
    """A follow with ``label`` and ``url`` (none for what is no longer public)."""
    kind = followed.kind
    if kind == FollowKind.SEARCH:
        followed.label, followed.url = _search_label(followed.query), followed.target_url
    elif services.is_followable(kind, followed.target):
        followed.label, followed.url = str(followed.target), followed.target_url
    else:
        followed.label, followed.url = _("Something no longer public"), ""
    return followed


def _next(request, default):
    """Where to go back to: the page the button was on, if it is one of ours."""
    url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and safe else default


def _control(request, *, kind, target):
    """The follow control again, for htmx to swap in place of the one that was used (what
    the user was read with at the start of the request no longer says what they follow)."""
    request.user.follows_anything = True
    return render(
        request,
        "alerts/includes/follow.html",
        {
            "follow_kind": kind,
            "follow_target": target,
            "follow_next": _next(request, ""),
        },
    )


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    back = _next(request, reverse("alerts:list"))
    form = FollowForm(request.POST)
    if not form.is_valid():
        return refused(request, _("That cannot be followed."), back)
    kind = FollowKind(form.cleaned_data["kind"])
    if kind == FollowKind.SEARCH:
        target = form.cleaned_data["query"]
    else:
        target = get_object_or_404(FOLLOWABLE[kind](), slug=form.cleaned_data["slug"])
    try:
        followed = services.follow(user=request.user, kind=kind, target=target)
    except DomainError as error:
        return refused(request, error, back)
    if request.htmx:
        return _control(request, kind=kind, target=followed.target or followed.query)
    messages.success(
        request,
        _("Alert saved: what changes comes in your digest. Manage your alerts on “My alerts”."),
    )
    return redirect(back)


@login_required
@require_POST
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    followed = get_object_or_404(Follow, pk=pk, user=request.user)
    kind, target = followed.kind, followed.target or followed.query
    services.unfollow(follow=followed)
    if request.htmx and request.POST.get("next"):
        return _control(request, kind=kind, target=target)
    messages.success(request, _("Alert removed."))
    return redirect(_next(request, reverse("alerts:list")))


@login_required
@require_safe
def alert_list(request: HttpRequest) -> HttpResponse:
    follows = Follow.objects.filter(user=request.user).select_related(
        "organisation", "network_group", "proposal"
    )
    subscription = Subscription.objects.filter(user=request.user).first()
    frequency = subscription.frequency if subscription else Frequency.WEEKLY
    return render(
        request,
        "alerts/list.html",
        {
            "follows": [_labelled(followed) for followed in follows],
            "form": FrequencyForm(initial={"frequency": frequency}),
            "frequency": Frequency(frequency),
        },
    )


@login_required
@require_POST
def frequency(request: HttpRequest) -> HttpResponse:
    form = FrequencyForm(request.POST)
    if not form.is_valid():
        return refused(request, _("Choose weekly, daily or never."), "alerts:list")
    subscription = services.set_frequency(
        user=request.user, frequency=form.cleaned_data["frequency"]
    )
    messages.success(
        request,
        _("Digests: %(frequency)s.") % {"frequency": subscription.get_frequency_display()},
    )
    return redirect("alerts:list")


# Mail providers POST to this address without a session or CSRF token (RFC 8058); the
# signed token is what authorises it, for its own subscription only.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = services.subscription_from_token(token)
    except DomainError as error:
        return render(request, "alerts/unsubscribe_invalid.html", {"error": error}, status=400)
    done = False
    if request.method == "POST":
        services.unsubscribe(subscription=subscription)
        done = True
    return render(
        request,
        "alerts/unsubscribe.html",
        {
            "subscription": subscription,
            "done": done or subscription.frequency == Frequency.NEVER,
            "token": token,
        },
    )
