from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from peacenet.lib.slugs import ReservedSlugForm

from . import services
from .models import (
    Deliverable,
    Participant,
    PartnershipProposal,
    ProgressReminder,
    ProgressUpdate,
    StatusChange,
)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["organisation", "role", "answer", "message", "answered_by", "answered_at"]
    readonly_fields = ["answered_by", "answered_at"]
    raw_id_fields = ["organisation"]


class StatusChangeInline(admin.TabularInline):
    """The history, read-only: it records what happened and is never edited."""

    model = StatusChange
    extra = 0
    fields = ["at", "organisation", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "organisation", "text", "author"]
    readonly_fields = ["author"]


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0
    fields = ["title", "organisation", "due", "done_at", "done_by", "done_note"]
    readonly_fields = ["done_by"]
    raw_id_fields = ["organisation"]


class ProgressReminderInline(admin.TabularInline):
    """The reminders sent, read-only: what ``send_progress_reminders`` did."""

    model = ProgressReminder
    extra = 0
    fields = ["due", "sent_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why these proposals break the rules (mailed to each lead)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class ProposalAdminForm(ReservedSlugForm):
    slug_under = "partnerships:list"


@admin.register(PartnershipProposal)
class PartnershipProposalAdmin(admin.ModelAdmin):
    form = ProposalAdminForm
    list_display = ["title", "status", "is_open_call", "network_group", "is_hidden", "created"]
    list_filter = ["status", "is_open_call", "is_hidden", "network_group", "created"]
    search_fields = ["title", "summary", "description", "participants__organisation__name"]
    prepopulated_fields = {"slug": ["title"]}
    # Hiding and showing go through the actions, which mail the lead.
    readonly_fields = ["status", "is_hidden", "hidden_reason", "created_by", "created", "updated"]
    raw_id_fields = ["follow_up"]
    list_select_related = ["network_group"]
    date_hierarchy = "created"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "goals"]}),
        (
            _("Partners"),
            {"fields": ["partners_bring", "partners_need", "is_open_call", "deadline"]},
        ),
        (_("Funding"), {"fields": ["funding_name", "funding_url", "funding_deadline"]}),
        (_("Context"), {"fields": ["network_group", "themes", "follow_up"]}),
        (_("Moderation"), {"fields": ["is_hidden", "hidden_reason"]}),
        (_("Record"), {"fields": ["status", "created_by", "created", "updated"]}),
    ]
    inlines = [
        ParticipantInline,
        StatusChangeInline,
        DeliverableInline,
        ProgressUpdateInline,
        ProgressReminderInline,
    ]
    actions = ["hide_proposals", "show_proposals"]

    @admin.action(description=_("Hide selected proposals that break the rules"))
    def hide_proposals(self, request, queryset):
        form = HideForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            for proposal in queryset:
                services.hide_proposal(
                    proposal=proposal, by=request.user, reason=form.cleaned_data["reason"]
                )
            self.message_user(
                request,
                _("%(count)d proposals hidden; their leads have been emailed.")
                % {"count": queryset.count()},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/partnerships/hide_proposals.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Hide proposals"),
                "form": form,
                "proposals": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Show selected hidden proposals again"))
    def show_proposals(self, request, queryset):
        for proposal in queryset.filter(is_hidden=True):
            services.unhide_proposal(proposal=proposal, by=request.user)
        self.message_user(request, _("The selected proposals are shown again."), messages.SUCCESS)
