from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from organisations.models import NetworkGroup, Organisation
from peacenet.lib.actions import post_action
from peacenet.lib.caching import public_page
from peacenet.lib.jsonld import json_ld_script
from peacenet.lib.links import absolute_url

from . import calendars, sections, services
from .filters import EventFilter
from .forms import EventDetailsForm, EventSubmissionForm
from .models import CoOrganiser, Event, FollowUp, Registration, Session, Speaker

PAST_PAGE_SIZE = 20


def get_event_for_viewing(request: HttpRequest, slug: str, queryset=None) -> Event:
    """The event with this slug if the user may see it (published, or staff), else 404."""
    queryset = Event.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(request.user), slug=slug)


def list_queryset():
    return Event.objects.select_related("organiser").prefetch_related("network_groups")


@require_safe
@public_page(query=[*EventFilter.base_filters, "page"], same_for_members=True)
def event_list(request: HttpRequest) -> HttpResponse:
    events = EventFilter(request.GET or None, queryset=list_queryset().visible_to(request.user))
    # The template shows the lists from a cached fragment (the same for everyone who may see
    # the same events): the past events are counted only to render it afresh.
    past = SimpleLazyObject(
        lambda: Paginator(events.qs.past(), PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    )
    return render(
        request,
        "events/list.html",
        {
            "filter": events,
            "upcoming": SimpleLazyObject(lambda: events.qs.upcoming() if past.number == 1 else []),
            "page_obj": past,
        },
    )


def detail_queryset():
    sessions = Session.objects.select_related("network_group", "facilitator").prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.select_related("organisation"))
    )
    follow_ups = FollowUp.objects.select_related("owner", "session").prefetch_related(
        # What the sections that other apps add to a follow-up read.
        *sections.FOLLOW_UP.prefetch()
    )
    return Event.objects.select_related("organiser").prefetch_related(
        Prefetch("co_organisations", queryset=CoOrganiser.objects.select_related("organisation")),
        "network_groups",
        Prefetch("sessions", queryset=sessions),
        Prefetch("follow_ups", queryset=follow_ups),
    )


def json_ld(event: Event) -> str:
    """schema.org ``Event`` for search engines and calendars; nothing about attendees."""
    url = absolute_url(event.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": event.start.isoformat(),
        "endDate": event.end.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
    }
    if event.summary or event.description:
        data["description"] = event.summary or event.description
    if event.venue or event.city:
        data["location"] = {
            "@type": "Place",
            "name": event.venue or event.city,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.address,
                "addressLocality": event.city,
                "addressCountry": "NL",
            },
        }
    if event.organiser and event.organiser.is_published:
        data["organizer"] = {
            "@type": "Organization",
            "name": event.organiser.name,
            "url": absolute_url(event.organiser.get_absolute_url()),
        }
    return json_ld_script(data)


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_for_viewing(request, slug, detail_queryset())
    registration = None
    if request.user.is_authenticated:
        registration = Registration.objects.active().filter(event=event, user=request.user).first()
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "places_taken": event.registrations.confirmed().count() if event.capacity else 0,
            "registration": registration,
            "canonical_url": absolute_url(event.get_absolute_url()),
            "json_ld": json_ld(event),
            "follow_up_sections": sections.FOLLOW_UP,
        },
    )


def _registered(registration):
    if registration.status == Registration.Status.CONFIRMED:
        return _("You are registered. See you there!")
    return _(
        "The event is full; you are on the waiting list. We will email you if a place frees up."
    )


@login_required
@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_for_viewing(request, slug)
    return post_action(
        request,
        lambda: services.register(event=event, user=request.user),
        done=_registered,
        to=event,
    )


@login_required
@require_POST
def cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_for_viewing(request, slug)
    return post_action(
        request,
        lambda: services.cancel_registration(event=event, user=request.user),
        done=_("Your registration is cancelled."),
        to=event,
    )


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_for_viewing(request, slug, Event.objects.select_related("organiser"))
    return calendars.ics_response(
        calendars.calendar_for([event], name=event.title), filename=f"{event.slug}.ics"
    )


@require_safe
def feed_ics(request: HttpRequest) -> HttpResponse:
    events = Event.objects.published().upcoming().select_related("organiser")
    return calendars.ics_response(
        calendars.calendar_for(events, name=_("PeaceNet events")), filename="peacenet-events.ics"
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """A member of a published organisation submits one of its events for staff to review."""
    # The published organisations one is a member of (staff too: the choice stays short
    # whatever the size of the directory).
    organisations = Organisation.objects.published().filter(memberships__user=request.user)
    if not organisations.exists():
        messages.error(
            request, _("To submit an event you need to be a member of a published organisation.")
        )
        return render(request, "events/submit.html", {"form": None}, status=403)
    form = EventSubmissionForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        services.submit_event(
            organisation=form.cleaned_data["organisation"], by=request.user, details=form.details()
        )
        messages.success(
            request,
            _("Thank you. Staff will review the event; once published, it is listed here."),
        )
        return redirect("events:list")
    return render(request, "events/submit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def add_group_meeting(request: HttpRequest, slug: str) -> HttpResponse:
    """A network group's facilitator adds a meeting of the group; it is published at once."""
    group = get_object_or_404(NetworkGroup, slug=slug)
    if not group.may_post(request.user):
        raise PermissionDenied
    form = EventDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.add_group_meeting(group=group, by=request.user, details=form.details())
        messages.success(request, _("The meeting is published."))
        return redirect(event)
    return render(request, "events/group_meeting.html", {"group": group, "form": form})
