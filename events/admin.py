import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organisations.exports import csv_value

from . import services
from .forms import EventAdminForm
from .models import CoOrganiser, Event, FollowUp, Registration, Session, Speaker


class CoOrganiserInline(admin.TabularInline):
    model = CoOrganiser
    fields = ["organisation", "note", "position"]
    raw_id_fields = ["organisation"]
    extra = 0


class SessionInline(admin.StackedInline):
    model = Session
    fields = [
        ("kind", "position"),
        "title",
        ("start", "end"),
        ("network_group", "facilitator"),
        "description",
        "notes",
    ]
    raw_id_fields = ["facilitator"]
    show_change_link = True  # Speakers are edited on the session's own page.
    extra = 0


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    fields = [("status", "position"), "title", "description", ("owner", "session")]
    raw_id_fields = ["owner"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this event's sessions.
        if db_field.name == "session":
            event_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Session.objects.filter(event_id=event_id or None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RegistrationInline(admin.TabularInline):
    """Who registered: read-only, changed only through the site's register/cancel."""

    model = Registration
    fields = ["user", "email", "status", "registered_at"]
    readonly_fields = fields
    ordering = ["status", "registered_at"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("attendees")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("events.view_registration")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description=_("email"))
    def email(self, registration):
        return registration.user.email


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = [
        "title",
        "kind",
        "start",
        "city",
        "organiser",
        "submitted_by",
        "is_published",
        "is_demo",
    ]
    list_filter = ["is_published", "kind", "is_demo", ("start", admin.DateFieldListFilter)]
    list_select_related = ["organiser", "submitted_by"]
    readonly_fields = ["submitted_by"]
    search_fields = ["title", "summary", "description", "venue", "city", "organiser__name"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["organiser"]
    filter_horizontal = ["network_groups"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "is_published", "is_demo"]}),
        (_("When and where"), {"fields": [("start", "end"), "venue", "address", "city"]}),
        (_("Who"), {"fields": ["organiser", "network_groups", "submitted_by"]}),
        (_("Content"), {"fields": ["description", "outcome", "video_url", "report_url"]}),
        (_("Registration"), {"fields": ["capacity"]}),
    ]
    inlines = [CoOrganiserInline, SessionInline, FollowUpInline, RegistrationInline]
    actions = ["publish", "hide", "export_attendees"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promoted = services.fill_free_places(event=obj, by=request.user)
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s person moved from the waiting list to a place.",
                        "%(count)s people moved from the waiting list to a place.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                )

    @admin.action(description=_("Publish the selected events"))
    def publish(self, request, queryset):
        self._set_published(request, queryset, published=True)

    @admin.action(description=_("Hide the selected events"))
    def hide(self, request, queryset):
        self._set_published(request, queryset, published=False)

    def _set_published(self, request, queryset, *, published):
        """Publish submitted events after review, or hide published ones; each change goes
        into the event's history."""
        changed = list(queryset.exclude(is_published=published))
        for event in changed:
            event.is_published = published
            event.save(update_fields=["is_published", "updated"])
            self.log_change(request, event, [{"changed": {"fields": ["is_published"]}}])
        self.message_user(
            request,
            ngettext("%(count)s event changed.", "%(count)s events changed.", len(changed))
            % {"count": len(changed)},
        )

    @admin.action(description=_("Export attendees of the selected events (CSV)"))
    def export_attendees(self, request, queryset):
        if not request.user.has_perm("events.view_registration"):
            self.message_user(request, _("You may not see the attendees."), level="error")
            return None
        registrations = (
            Registration.objects.active()
            .filter(event__in=queryset)
            .select_related("event", "user")
            .order_by("event__start", "event__pk", "status", "registered_at")
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="attendees-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow([_("event"), _("name"), _("email"), _("status"), _("registered at")])
        for registration in registrations:
            row = [
                registration.event.title,
                registration.user.get_full_name(),
                registration.user.email,
                registration.get_status_display(),
                timezone.localtime(registration.registered_at).isoformat(timespec="minutes"),
            ]
            # Names are typed by attendees: a spreadsheet must not run one as a formula.
            writer.writerow([csv_value(value) for value in row])
        return response


class SpeakerInline(admin.TabularInline):
    model = Speaker
    fields = ["name", "role", "organisation", "topic", "position"]
    raw_id_fields = ["organisation"]
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "kind", "network_group", "facilitator", "position"]
    list_filter = ["kind", "network_group"]
    list_select_related = ["event", "network_group", "facilitator"]
    search_fields = ["title", "event__title", "speakers__name"]
    autocomplete_fields = ["event"]
    raw_id_fields = ["facilitator"]
    inlines = [SpeakerInline]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "owner", "status"]
    list_filter = ["status"]
    list_select_related = ["event", "owner"]
    search_fields = ["title", "description", "event__title", "owner__name"]
    autocomplete_fields = ["event", "session"]
    raw_id_fields = ["owner"]
