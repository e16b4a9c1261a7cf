from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Participant, PartnershipProposal, ProgressUpdate, StatusChange


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


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "organisation", "text", "author"]
    readonly_fields = ["author"]


class ProposalAdminForm(forms.ModelForm):
    class Meta:
        model = PartnershipProposal
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "goals",
            "partners_bring",
            "partners_need",
            "is_open_call",
            "network_group",
            "themes",
            "follow_up",
            "is_hidden",
            "hidden_reason",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_hidden") and not cleaned.get("hidden_reason", "").strip():
            self.add_error(
                "hidden_reason", _("Say why the proposal is hidden; the lead is emailed it.")
            )
        return cleaned


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why these proposals break the rules (mailed to each lead)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


@admin.register(PartnershipProposal)
class PartnershipProposalAdmin(admin.ModelAdmin):
    form = ProposalAdminForm
    list_display = ["title", "status", "is_open_call", "network_group", "is_hidden", "created"]
    list_filter = ["status", "is_open_call", "is_hidden", "network_group", "created"]
    search_fields = ["title", "summary", "description", "participants__organisation__name"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "created_by", "created", "updated"]
    raw_id_fields = ["follow_up"]
    list_select_related = ["network_group"]
    date_hierarchy = "created"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "goals"]}),
        (_("Partners"), {"fields": ["partners_bring", "partners_need", "is_open_call"]}),
        (_("Context"), {"fields": ["network_group", "themes", "follow_up"]}),
        (_("Moderation"), {"fields": ["is_hidden", "hidden_reason"]}),
        (_("Record"), {"fields": ["status", "created_by", "created", "updated"]}),
    ]
    inlines = [ParticipantInline, StatusChangeInline, ProgressUpdateInline]
    actions = ["hide_proposals"]

    def save_model(self, request, obj, form, change):
        """Hiding goes through the service, which mails the lead the reason."""
        hide = change and "is_hidden" in form.changed_data and obj.is_hidden
        if hide:
            obj.is_hidden = False  # The service sets it, together with the mail.
        super().save_model(request, obj, form, change)
        if hide:
            services.hide_proposal(proposal=obj, by=request.user, reason=obj.hidden_reason)
            obj.refresh_from_db()
            messages.info(request, _("The proposal is hidden and its lead has been emailed."))

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
