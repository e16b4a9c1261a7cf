"""Confirming an organisation's details by the link mailed to its owners and editors: no
sign-in, a GET only shows, a POST confirms (once)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import services

TEMPLATE = "organisations/confirm_by_link.html"


def _problem(request: HttpRequest, problem: services.LinkProblem) -> HttpResponse:
    return render(request, TEMPLATE, {"problem": problem.message}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_by_link(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    try:
        reminder, recipient = services.reminder_from_token(token, slug=slug)
        services.check_link(reminder=reminder, recipient=recipient)
    except services.LinkProblem as problem:
        return _problem(request, problem)
    organisation = reminder.organisation
    if request.method == "POST":
        try:
            services.confirm_by_link(reminder=reminder, recipient=recipient)
        except services.LinkProblem as problem:
            return _problem(request, problem)
        messages.success(
            request,
            _("Thank you: the details of %(name)s are confirmed.") % {"name": organisation.name},
        )
        return redirect(organisation)
    edit_url = reverse("organisations:edit", kwargs={"slug": organisation.slug})
    if not request.user.is_authenticated:
        edit_url = f"{reverse('account_login')}?{urlencode({'next': edit_url})}"
    return render(
        request,
        TEMPLATE,
        {
            "organisation": organisation,
            "themes": organisation.themes.all(),
            "network_groups": organisation.network_groups.all(),
            "edit_url": edit_url,
        },
    )
