"""Curation and moderation of organisations in the Django admin.

Moderation goes through the services (publish, reject with a reason, archive), which record
who moderated and when, keep the history and mail the owners; status is never edited by hand.
Each organisation's "History" is the admin's own (``LogEntry``): what staff changed here, and
what the services recorded of every change on the site (``peacenet.lib.history``).
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Case, Count, Max, Value, When
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationAdmin
from taggit.models import Tag

from peacenet.lib.slugs import ReservedSlugForm

from . import services
from .forms import RejectForm, ThemeChoiceForm
from .models import (
    Announcement,
    Capacity,
    ClaimRequest,
    Confirmation,
    ContactMessage,
    EditorInvitation,
    Facilitator,
    FormerSlug,
    Membership,
    NetworkGroup,
    Organisation,
    TextLanguage,
    Theme,
    ThemedItem,
    ThemeSuggestion,
    UnconfirmedOrganisation,
)
from .widgets import CountryPicker


def action_with_reason(modeladmin, request, queryset, *, title, apply, reason_required=True):
    """An admin action that first asks for a reason on an intermediate page.

    Returns the page to show, or None once ``apply(queryset, reason)`` has run.
    """

    def reason_form(*args):
        form = RejectForm(*args)
        form.fields["reason"].required = reason_required
        return form

    return action_with_form(
        modeladmin,
        request,
        queryset,
        title=title,
        form_class=reason_form,
        apply=lambda queryset, data: apply(queryset, data["reason"]),
    )


def action_with_form(modeladmin, request, queryset, *, title, form_class, apply):
    """An admin action that first asks for the fields of ``form_class`` on an intermediate
    page. Returns the page to show, or None once ``apply(queryset, cleaned_data)`` has run.
    """
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            apply(queryset, form.cleaned_data)
            return None
    else:
        form = form_class()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "action": request.POST["action"],
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/organisations/action_with_reason.html", context)


class ConfirmationFilter(admin.SimpleListFilter):
    """Recently confirmed, stale (``Confirmation``), or unconfirmed long enough to consider
    archiving."""

    title = _("confirmation")
    parameter_name = "confirmed"
    ARCHIVE = "archive"

    def lookups(self, request, model_admin):
        return [
            *Confirmation.CHOICES,
            (
                self.ARCHIVE,
                _("Not confirmed for more than %(months)d months")
                % {"months": Confirmation.ARCHIVE_SUGGESTED_AFTER_MONTHS},
            ),
        ]

    def queryset(self, request, queryset):
        if self.value() == self.ARCHIVE:
            return queryset.unconfirmed_for(Confirmation.ARCHIVE_SUGGESTED_AFTER_MONTHS)
        if self.value() in (Confirmation.RECENT, Confirmation.STALE):
            return queryset.confirmation(self.value())
        return queryset


def ask_to_confirm(modeladmin, request, queryset):
    """Mail the owners and editors of the selected published organisations a link to
    confirm their details, at once."""
    asked, nobody = services.ask_to_confirm(organisations=queryset, by=request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d organisation asked to confirm its details.",
            "%(count)d organisations asked to confirm their details.",
            asked,
        )
        % {"count": asked},
        messages.SUCCESS,
    )
    if nobody:
        modeladmin.message_user(
            request,
            _("Nobody to ask (no members, or not published): %(names)s")
            % {"names": ", ".join(organisation.name for organisation in nobody)},
            messages.WARNING,
        )


ask_to_confirm.short_description = _("Ask to confirm now")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class FormerSlugInline(admin.TabularInline):
    """The addresses the organisation had before; they redirect to the current one."""

    model = FormerSlug
    extra = 0
    fields = ["slug", "created"]
    readonly_fields = ["slug", "created"]
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


# Themes are PeaceNet's own vocabulary (``Theme``); taggit's default tags are not used, so
# taggit's own admin is taken off the site.
admin.site.unregister(Tag)


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    """The vocabulary: each theme's name in every interface language."""

    list_display = ["name_en", "name_nl", "name_fr", "name_ar", "slug", "uses"]
    ordering = ["name_en"]
    search_fields = ["name_en", "name_nl", "name_fr", "name_ar"]
    prepopulated_fields = {"slug": ["name_en"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=Count("items"))

    @admin.display(description=_("uses"), ordering="use_count")
    def uses(self, theme):
        return theme.use_count


@admin.register(ThemeSuggestion)
class ThemeSuggestionAdmin(admin.ModelAdmin):
    """Themes registrants typed that the vocabulary lacks: staff add them to it (then
    translate them) or map them onto a theme it has."""

    list_display = ["name", "entry", "suggested_by", "created"]
    list_filter = ["content_type", "created"]
    list_select_related = ["suggested_by", "content_type"]
    search_fields = ["name"]
    readonly_fields = ["name", "content_type", "object_id", "suggested_by", "created"]
    actions = ["accept", "map_onto_theme"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("entry"))
    def entry(self, suggestion):
        return suggestion.content_object

    @admin.action(description=_("Add the selected suggestions to the themes"))
    def accept(self, request, queryset):
        themes = services.accept_suggestions(suggestions=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d theme added or reused: translate it in the themes list.",
                "%(count)d themes added or reused: translate them in the themes list.",
                len(themes),
            )
            % {"count": len(themes)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Use an existing theme instead of the selected suggestions"))
    def map_onto_theme(self, request, queryset):
        def apply(queryset, data):
            count = services.map_suggestions(
                suggestions=queryset, theme=data["theme"], by=request.user
            )
            self.message_user(
                request,
                ngettext(
                    "%(count)d suggestion replaced by “%(theme)s”.",
                    "%(count)d suggestions replaced by “%(theme)s”.",
                    count,
                )
                % {"count": count, "theme": data["theme"].name},
                messages.SUCCESS,
            )

        return action_with_form(
            self,
            request,
            queryset,
            title=_("Use an existing theme"),
            form_class=ThemeChoiceForm,
            apply=apply,
        )


class ThemeInline(GenericTabularInline):
    """The organisation's themes, chosen from the vocabulary with autocomplete."""

    model = ThemedItem
    extra = 0
    autocomplete_fields = ["tag"]
    verbose_name = _("theme")
    verbose_name_plural = _("themes")


class OrganisationAdminForm(ReservedSlugForm):
    slug_under = "organisations:directory"

    class Meta:
        # Staff choose countries with the same picker as the organisations themselves.
        widgets = {"countries": CountryPicker}


MODERATION_FIELDS = [
    "status",
    "status_reason",
    "moderated_by",
    "moderated_at",
    "published_at",
    "created",
]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = [
        "name",
        "status",
        "kind",
        "city",
        "last_confirmed",
        "moderated_by",
        "moderated_at",
    ]
    list_filter = [
        "status",
        "kind",
        "network_groups",
        ("countries", CountryFilter),
        ConfirmationFilter,
        "last_confirmed",
        "moderated_at",
    ]
    list_select_related = ["moderated_by"]
    # The moderation queue comes first: organisations waiting for review, then the rest.
    ordering = [
        Case(When(status=Organisation.Status.PENDING, then=Value(0)), default=Value(1)),
        "name",
    ]
    search_fields = ["name", "short_name", "summary_en", "summary_nl", "city", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["network_groups", "offers", "needs"]
    # Set by moderation (the services), never edited by hand.
    readonly_fields = MODERATION_FIELDS
    inlines = [ThemeInline, MembershipInline, FormerSlugInline]
    actions = ["publish_selected", "reject_selected", "archive_selected", ask_to_confirm]
    date_hierarchy = "created"
    fieldsets = [
        (
            _("Moderation"),
            {"fields": MODERATION_FIELDS},
        ),
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "short_name",
                    "kind",
                    "website",
                    "founded",
                    "logo",
                    "last_confirmed",
                ]
            },
        ),
        (
            _("Summary and description"),
            {
                "fields": [
                    "language",
                    *(f"summary_{code}" for code in TextLanguage.values),
                    *(f"description_{code}" for code in TextLanguage.values),
                ]
            },
        ),
        (
            _("Contact"),
            {
                "fields": [
                    ("email", "email_visibility"),
                    ("phone", "phone_visibility"),
                    ("address", "postcode", "address_visibility"),
                    "city",
                    ("latitude", "longitude"),
                ]
            },
        ),
        (_("Focus"), {"fields": ["countries", "focus_regions", "network_groups"]}),
        (_("Capacity"), {"fields": ["offers", "offers_detail", "needs", "needs_detail"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            services.move_address(organisation=obj, old_slug=form.initial["slug"])

    @admin.action(description=_("Publish the selected organisations"))
    def publish_selected(self, request, queryset):
        count = services.publish(
            organisations=queryset.exclude(status=Organisation.Status.PUBLISHED), by=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d organisation published.", "%(count)d organisations published.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject the selected organisations (with a reason)"))
    def reject_selected(self, request, queryset):
        def apply(queryset, reason):
            count = services.reject(organisations=queryset, by=request.user, reason=reason)
            self.message_user(
                request,
                ngettext(
                    "%(count)d organisation rejected; the owners are emailed the reason.",
                    "%(count)d organisations rejected; the owners are emailed the reason.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )

        return action_with_reason(
            self, request, queryset, title=_("Reject organisations"), apply=apply
        )

    @admin.action(description=_("Archive the selected organisations"))
    def archive_selected(self, request, queryset):
        def apply(queryset, reason):
            count = services.archive(organisations=queryset, by=request.user, reason=reason)
            self.message_user(
                request,
                ngettext(
                    "%(count)d organisation archived.", "%(count)d organisations archived.", count
                )
                % {"count": count},
                messages.SUCCESS,
            )

        return action_with_reason(
            self,
            request,
            queryset,
            title=_("Archive organisations"),
            apply=apply,
            reason_required=False,
        )


@admin.register(UnconfirmedOrganisation)
class UnconfirmedOrganisationAdmin(admin.ModelAdmin):
    """The staff's queue of published organisations not confirmed for more than
    ``Confirmation.ARCHIVE_SUGGESTED_AFTER_MONTHS``: archive them, or ask once more. Nothing
    leaves the directory unless staff choose to."""

    list_display = ["organisation", "kind", "confirmed_since", "members", "last_reminder"]
    list_display_links = None
    search_fields = ["name", "short_name"]
    actions = ["archive_selected", ask_to_confirm]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .published()
            .unconfirmed_for(Confirmation.ARCHIVE_SUGGESTED_AFTER_MONTHS)
            .annotate(
                member_count=Count("memberships", distinct=True),
                last_reminder_at=Max("confirmation_reminders__sent_at"),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("organisation"), ordering="name")
    def organisation(self, organisation):
        url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
        return format_html('<a href="{}">{}</a>', url, organisation.name)

    @admin.display(description=_("confirmed since"))
    def confirmed_since(self, organisation):
        return organisation.confirmed_since

    @admin.display(description=_("members"), ordering="member_count")
    def members(self, organisation):
        return organisation.member_count

    @admin.display(description=_("last reminder"), ordering="last_reminder_at")
    def last_reminder(self, organisation):
        return organisation.last_reminder_at

    @admin.action(description=_("Archive the selected organisations (suggested)"))
    def archive_selected(self, request, queryset):
        return OrganisationAdmin.archive_selected(self, request, queryset)


class FacilitatorInline(admin.TabularInline):
    """The people appointed to facilitate the group, each for an organisation of theirs."""

    model = Facilitator
    fields = ["user", "organisation", "appointed"]
    readonly_fields = ["appointed"]
    autocomplete_fields = ["user", "organisation"]
    extra = 0


@admin.register(NetworkGroup)
class NetworkGroupAdmin(TranslationAdmin):
    list_display = ["name", "facilitator", "position", "member_count"]
    ordering = ["position", "name"]
    list_select_related = ["facilitator"]
    search_fields = ["name_en", "name_nl", "name_fr", "name_ar", "tagline_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["facilitator"]
    inlines = [FacilitatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("organisations"))

    @admin.display(description=_("organisations"), ordering="members")
    def member_count(self, group):
        return group.members


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    """Facilitators post announcements on the site; staff read them here and hide any that
    break the rules (a hidden one shows nowhere on the site)."""

    list_display = ["title", "group", "organisation", "posted_by", "created", "is_hidden"]
    list_filter = ["is_hidden", "group", ("created", admin.DateFieldListFilter)]
    list_select_related = ["group", "organisation", "posted_by"]
    search_fields = ["title", "text", "organisation__name"]
    date_hierarchy = "created"
    fields = [
        "group",
        "title",
        "text",
        "link",
        "organisation",
        "is_hidden",
        "posted_by",
        "created",
    ]
    readonly_fields = ["posted_by", "created"]
    autocomplete_fields = ["group", "organisation"]
    actions = ["hide", "show"]

    @admin.action(description=_("Hide the selected announcements"))
    def hide(self, request, queryset):
        self._set_hidden(request, queryset, hidden=True)

    @admin.action(description=_("Show the selected announcements again"))
    def show(self, request, queryset):
        self._set_hidden(request, queryset, hidden=False)

    def _set_hidden(self, request, queryset, *, hidden):
        changed = list(queryset.exclude(is_hidden=hidden))
        for announcement in changed:
            announcement.is_hidden = hidden
            announcement.save(update_fields=["is_hidden"])
            self.log_change(request, announcement, [{"changed": {"fields": ["is_hidden"]}}])
        self.message_user(
            request,
            ngettext(
                "%(count)s announcement changed.", "%(count)s announcements changed.", len(changed)
            )
            % {"count": len(changed)},
        )


@admin.register(Capacity)
class CapacityAdmin(TranslationAdmin):
    list_display = ["name_en", "name_nl", "name_fr", "name_ar", "slug"]
    search_fields = ["name_en", "name_nl", "name_fr", "name_ar"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(ClaimRequest)
class ClaimRequestAdmin(admin.ModelAdmin):
    list_display = ["organisation", "user", "status", "created", "decided_by", "decided_at"]
    list_filter = ["status", "created"]
    list_select_related = ["organisation", "user", "decided_by"]
    search_fields = ["organisation__name", "user__email", "justification"]
    readonly_fields = [
        "organisation",
        "user",
        "justification",
        "status",
        "decision_note",
        "decided_by",
        "decided_at",
        "created",
    ]
    actions = ["approve_selected", "decline_selected"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Approve: make the requester the owner"))
    def approve_selected(self, request, queryset):
        approved = 0
        for claim in queryset.filter(status=ClaimRequest.Status.PENDING):
            try:
                services.approve_claim(claim=claim, by=request.user)
            except services.DomainError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                approved += 1
        self.message_user(
            request,
            ngettext("%(count)d claim approved.", "%(count)d claims approved.", approved)
            % {"count": approved},
            messages.SUCCESS,
        )

    @admin.action(description=_("Decline (with a note to the requester)"))
    def decline_selected(self, request, queryset):
        def apply(queryset, note):
            declined = 0
            for claim in queryset.filter(status=ClaimRequest.Status.PENDING):
                services.decline_claim(claim=claim, by=request.user, note=note)
                declined += 1
            self.message_user(
                request,
                ngettext("%(count)d claim declined.", "%(count)d claims declined.", declined)
                % {"count": declined},
                messages.SUCCESS,
            )

        return action_with_reason(self, request, queryset, title=_("Decline claims"), apply=apply)


@admin.register(EditorInvitation)
class EditorInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "invited_by", "created", "accepted_at"]
    list_select_related = ["organisation", "invited_by"]
    list_filter = ["accepted_at"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["organisation", "email", "invited_by", "accepted_by", "accepted_at"]

    def has_add_permission(self, request):
        return False


class ReportedFilter(admin.SimpleListFilter):
    title = _("reported as abuse")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported")), ("no", _("Not reported"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(reported_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(reported_at__isnull=True)
        return queryset


class WaitingForStaffFilter(admin.SimpleListFilter):
    """The queue of messages for organisations without owners, which staff pass on."""

    title = _("for staff to pass on")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", _("Waiting to be passed on")), ("no", _("Passed on or delivered"))]

    def queryset(self, request, queryset):
        waiting = ContactMessage.objects.waiting_for_staff().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=waiting)
        if self.value() == "no":
            return queryset.exclude(pk__in=waiting)
        return queryset


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "organisation",
        "sender",
        "created",
        "recipient_count",
        "delivered_at",
        "via_staff",
        "passed_on",
        "reported_at",
    ]
    list_filter = [WaitingForStaffFilter, ReportedFilter, "passed_on", "delivered_at", "created"]
    list_select_related = ["organisation", "sender"]
    actions = ["forward_selected", "invite_to_claim_selected"]
    search_fields = ["subject", "organisation__name", "sender__email"]
    readonly_fields = [
        "organisation",
        "sender",
        "subject",
        "body",
        "created",
        "recipient_count",
        "delivered_at",
        "delivery_error",
        "reported_at",
        "reported_by",
        "report_reason",
        "via_staff",
        "passed_on",
        "passed_on_at",
        "passed_on_by",
    ]

    def has_add_permission(self, request):
        return False

    def pass_on(self, request, queryset, how):
        passed = 0
        for message in queryset:
            try:
                services.pass_on_contact_message(message=message, how=how, by=request.user)
            except services.DomainError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                passed += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d message passed on to the organisation.",
                "%(count)d messages passed on to their organisations.",
                passed,
            )
            % {"count": passed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Forward to the organisation's email address"))
    def forward_selected(self, request, queryset):
        self.pass_on(request, queryset, ContactMessage.PassedOn.FORWARDED)

    @admin.action(description=_("Forward with an invitation to claim the entry (no members yet)"))
    def invite_to_claim_selected(self, request, queryset):
        self.pass_on(request, queryset, ContactMessage.PassedOn.CLAIM_INVITATION)
