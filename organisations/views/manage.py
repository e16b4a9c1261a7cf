"""Registering an organisation and keeping it current: edit, confirm, members, invitations,
claims of pre-loaded entries, and the contact form that hides addresses."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peacenet.lib.actions import post_action

from .. import services
from ..forms import (
    ClaimForm,
    ContactForm,
    InviteEditorForm,
    OrganisationForm,
    RegistrationForm,
    ReportAbuseForm,
)
from ..models import EditorInvitation, Membership, Organisation


def get_organisation_for_editing(request: HttpRequest, slug: str, *, role=None) -> Organisation:
    """The organisation if the user may act for it (in ``role``, when given): 404 if they may
    not even see it, else 403."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)
    if not organisation.is_editable_by(request.user, role=role):
        raise PermissionDenied
    return organisation


def rate_limited(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    messages.error(
        request,
        _("You have sent this form too often. Please wait an hour and try again."),
    )
    return render(request, template, context, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RegistrationForm(request.POST, request.FILES)
        if not ratelimit.consume(request, action="register_organisation"):
            return rate_limited(request, "organisations/register.html", {"form": form})
        if form.is_valid():
            try:
                organisation = services.register_organisation(
                    organisation=form.save(commit=False),
                    relations=form.relations(),
                    owner=request.user,
                )
            except services.OrganisationNameTaken as error:
                form.add_error("name", error.message)
            else:
                messages.success(
                    request,
                    _("Thank you. %(name)s is waiting for review; we will email you.")
                    % {"name": organisation.name},
                )
                return redirect("dashboard")
    else:
        form = RegistrationForm()
    return render(request, "organisations/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_editing(request, slug)
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES, instance=organisation)
        if form.is_valid():
            try:
                organisation = services.update_organisation(
                    organisation=form.save(commit=False),
                    relations=form.relations(),
                    by=request.user,
                    changed=form.changed_data,
                )
            except services.OrganisationNameTaken as error:
                form.add_error("name", error.message)
            else:
                messages.success(request, _("The profile is saved."))
                return redirect(organisation)
    else:
        form = OrganisationForm(instance=organisation)
    return render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def confirm(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_editing(request, slug)
    services.confirm_current(organisation=organisation, by=request.user)
    messages.success(request, _("Thank you for confirming that the profile is correct."))
    return redirect(organisation)


@login_required
@require_POST
def resubmit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_editing(request, slug)
    return post_action(
        request,
        lambda: services.resubmit(organisation=organisation, by=request.user),
        done=_("Submitted again. Staff will review it."),
        to="dashboard",
    )


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Owners see the members and open invitations, and invite editors."""
    organisation = get_organisation_for_editing(request, slug, role=Membership.Role.OWNER)
    form = InviteEditorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not ratelimit.consume(request, action="invite_editor"):
            messages.error(request, _("You have sent too many invitations. Try again later."))
            status = 429
        elif form.is_valid():
            try:
                services.invite_editor(
                    organisation=organisation, email=form.cleaned_data["email"], by=request.user
                )
            except services.DomainError as error:
                form.add_error("email", error.message)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("organisations:members", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "form": form,
        "memberships": organisation.memberships.with_owner_count()
        .select_related("user")
        .order_by("role", "user__email"),
        "invitations": organisation.invitations.filter(accepted_at__isnull=True),
    }
    return render(request, "organisations/members.html", context, status=status)


def get_membership_for_owner(request: HttpRequest, slug: str, pk: int) -> Membership:
    """A membership of an organisation the user acts for as owner: 404/403 as for the
    organisation, and 404 for a membership of another organisation."""
    organisation = get_organisation_for_editing(request, slug, role=Membership.Role.OWNER)
    return get_object_or_404(
        organisation.memberships.select_related("user", "organisation"), pk=pk
    )


def back_to_members(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The members page, or the dashboard for someone who no longer manages the members."""
    if organisation.is_editable_by(request.user, role=Membership.Role.OWNER):
        return redirect("organisations:members", slug=organisation.slug)
    return redirect("dashboard")


@login_required
@require_POST
def remove_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = get_membership_for_owner(request, slug, pk)
    try:
        services.remove_member(membership=membership, by=request.user)
    except services.DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(person)s is no longer a member.") % {"person": membership.user}
        )
    return back_to_members(request, membership.organisation)


@login_required
@require_POST
def make_owner(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = get_membership_for_owner(request, slug, pk)
    return post_action(
        request,
        lambda: services.make_owner(membership=membership, by=request.user),
        done=_("%(person)s is now an owner.") % {"person": membership.user},
        to=reverse("organisations:members", kwargs={"slug": slug}),
    )


@login_required
@require_POST
def step_down(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An owner makes themselves (or another owner) an editor again."""
    membership = get_membership_for_owner(request, slug, pk)
    try:
        services.step_down(membership=membership, by=request.user)
    except services.DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s is now an editor.") % {"person": membership.user})
    return back_to_members(request, membership.organisation)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    """A member leaves the organisation; its only owner must hand ownership over first."""
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"),
        organisation__slug=slug,
        user=request.user,
    )
    return post_action(
        request,
        lambda: services.remove_member(membership=membership, by=request.user),
        done=_("You are no longer a member of %(name)s.") % {"name": membership.organisation.name},
        to="dashboard",
    )


@login_required
@require_POST
def withdraw_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_organisation_for_editing(request, slug, role=Membership.Role.OWNER)
    invitation = get_object_or_404(
        EditorInvitation.objects.filter(organisation=organisation, accepted_at__isnull=True),
        pk=pk,
    )
    services.withdraw_invitation(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("organisations:members", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except services.DomainError as error:
        return render(
            request,
            "organisations/accept_invitation.html",
            {"error": error.message},
            status=400,
        )
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except services.DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("You are now an editor of %(name)s.") % {"name": invitation.organisation.name},
            )
            return redirect("dashboard")
    return render(request, "organisations/accept_invitation.html", {"invitation": invitation})


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.published(), slug=slug)
    if not services.claimable(organisation):
        messages.info(
            request,
            _("%(name)s already has members; ask them to invite you.")
            % {"name": organisation.name},
        )
        return redirect(organisation)
    if organisation.claims.pending().filter(user=request.user).exists():
        messages.info(
            request, _("Claim sent, waiting for review. Staff will email you their answer.")
        )
        return redirect(organisation)
    form = ClaimForm(request.POST or None)
    context = {"organisation": organisation, "form": form}
    if request.method == "POST":
        if not ratelimit.consume(request, action="claim_organisation"):
            return rate_limited(request, "organisations/claim.html", context)
        if form.is_valid():
            try:
                services.request_claim(
                    organisation=organisation,
                    user=request.user,
                    justification=form.cleaned_data["justification"],
                )
            except services.DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Your request is sent. Staff will email you their answer.")
                )
                return redirect(organisation)
    return render(request, "organisations/claim.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.published(), slug=slug)
    form = ContactForm(request.POST or None)
    context = {
        "organisation": organisation,
        "form": form,
        "through_staff": services.through_staff(organisation),
    }
    if request.method == "POST":
        if not ratelimit.consume(request, action="contact_organisation"):
            return rate_limited(request, "organisations/contact.html", context)
        if form.is_valid():
            message = services.send_contact_message(
                organisation=organisation,
                sender=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
            if message.via_staff:
                done = _(
                    "Your message is sent to PeaceNet's staff, who will pass it on to "
                    "%(name)s. A copy is on its way to your mailbox."
                )
            else:
                done = _(
                    "Your message is sent. %(name)s can reply to your email address. A copy "
                    "is on its way to your mailbox."
                )
            messages.success(request, done % {"name": organisation.name})
            return redirect(organisation)
    return render(request, "organisations/contact.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_message(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A member of the receiving organisation reports a contact message as abuse."""
    organisation = get_organisation_for_editing(request, slug)
    message = get_object_or_404(
        organisation.contact_messages.select_related("sender"),
        pk=pk,
    )
    form = ReportAbuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_contact_message(
            message=message, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Thank you. Staff will look at this message."))
        return redirect("dashboard")
    return render(
        request,
        "organisations/report_message.html",
        {"organisation": organisation, "message_sent": message, "form": form},
    )
