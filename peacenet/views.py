import csv
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from events.models import Event
from organisations.exports import csv_value
from organisations.models import EditorInvitation, Membership, NetworkGroup, Organisation
from organisations.services import invitation_token
from partnerships.dashboard import dashboard_context
from partnerships.models import Participant, PartnershipProposal, ProposalStatus

from . import statistics
from .lib.caching import public_page
from .lib.rendered import rendered_for_generation


@require_safe
@public_page(same_for_members=True)
def home(request: HttpRequest) -> HttpResponse:
    published = Organisation.objects.published()
    # The statistics' numbers, cached for the content generation: the directory's counts.
    in_numbers = statistics.numbers()
    kinds = [
        {"value": value, "label": label, "count": in_numbers["kinds"].get(value, 0)}
        for value, label in Organisation.Kind.choices
    ]
    return render(
        request,
        "peacenet/home.html",
        {
            "kinds": kinds,
            "in_numbers": {
                "countries": sum(1 for n in in_numbers["countries"].values() if n),
                "partnerships": sum(
                    in_numbers["statuses"].get(status, 0)
                    for status in (ProposalStatus.FORMING, ProposalStatus.ACTIVE)
                ),
                "events": sum(n for _year, n, _registered in in_numbers["events"]),
            },
            "total_organisations": in_numbers["total"],
            "newest": published.order_by("-created", "name")[:6],
            "network_groups": NetworkGroup.objects.all(),
            "next_events": Event.objects.published().upcoming().select_related("organiser")[:3],
            "open_proposals": PartnershipProposal.objects.public()
            .filter(status__in=[ProposalStatus.OPEN, ProposalStatus.FORMING])
            .open_calls_first()
            .prefetch_related(
                Prefetch("participants", Participant.objects.select_related("organisation"))
            )[:3],
        },
    )


@require_safe
@public_page(same_for_members=True)
def statistics_page(request: HttpRequest) -> HttpResponse:
    """The network in numbers: each chart as SVG, with its table and a CSV download.

    The charts are the same for everyone: rendered once per content generation, language
    and month (the last 24 months end with this one), for signed-in members too."""
    charts = rendered_for_generation(
        "statistics",
        timezone.localdate().strftime("%Y-%m"),
        lambda: str(
            render_to_string(
                "peacenet/includes/statistics_charts.html", {"charts": statistics.charts()}
            )
        ),
        statistics.CACHE_SECONDS,
    )
    # Rendered by statistics_charts.html above.
    picture = mark_safe(charts)  # noqa: S308
    return render(request, "peacenet/statistics.html", {"picture": picture})


@require_safe
@public_page(same_for_members=True)
def statistics_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """One chart's numbers as CSV, the same numbers as its table."""
    found = statistics.chart_by_slug(chart)
    if found is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="peacenet-{found.slug}.csv"'
    writer = csv.writer(response)
    for row in found.csv_rows():
        writer.writerow([csv_value(value) for value in row])
    return response


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in user's organisations, their status and what to do next."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .with_owner_count()
        .select_related("organisation")
        .order_by("organisation__name")
    )
    editor_invitations = [
        (invitation, invitation_token(invitation))
        for invitation in EditorInvitation.objects.filter(
            email__iexact=request.user.email, accepted_at__isnull=True
        ).select_related("organisation")
    ]
    context = {
        "memberships": memberships,
        "editor_invitations": editor_invitations,
        **dashboard_context(request, [m.organisation for m in memberships]),
    }
    return render(request, "peacenet/dashboard.html", context)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: what PeaceNet aims for, how it is tested, how to report."""
    contacts = settings.STAFF_NOTIFICATION_EMAILS
    return render(
        request, "peacenet/accessibility.html", {"contact_email": contacts[0] if contacts else ""}
    )


@require_safe
@public_page(same_for_members=True)
def open_data(request: HttpRequest) -> HttpResponse:
    """What PeaceNet publishes as open data, in which formats, and under which licence."""
    return render(request, "peacenet/open_data.html")


# The colour of the site's icon and header, for browsers that tint their frame with it.
THEME_COLOUR = "#1d4e89"


@require_safe
@cache_control(public=True, max_age=86_400)
def favicon(request: HttpRequest) -> FileResponse:
    """The site's icon at the address browsers and feed readers ask for without looking at
    the page (/favicon.ico): the same mark as img/favicon.svg, as a small ICO file."""
    return FileResponse(open(finders.find("img/favicon.ico"), "rb"), content_type="image/x-icon")


@require_safe
@cache_control(private=True, max_age=86_400)  # in the language of whoever asked
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: the name, icons and colour a phone uses when PeaceNet is added
    to its home screen. A view, so the name is translated and the icons' addresses are the
    hashed ones of the static files."""
    icons = [
        {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
    ]
    manifest = {
        "name": gettext("PeaceNet The Hague"),
        "short_name": gettext("PeaceNet"),
        "description": gettext(
            "The directory and partnership portal of organisations working for peace in The Hague."
        ),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and deployments, naming the app server
    that answered (SERVER_NAME) so a check through the load balancer shows which one it was."""
    server = settings.SERVER_NAME
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse(
            {"status": "error", "database": "unreachable", "server": server}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "server": server})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, back to the same page in the chosen language, which also
    remembers the choice of a signed-in person, so that their mail is written in the language
    they use the site in."""
    # Django finds the page of ``next`` in the active language: make that the page's own.
    next_path = urlsplit(request.POST.get("next", request.GET.get("next", ""))).path
    with translation.override(
        translation.get_language_from_path(next_path) or settings.LANGUAGE_CODE
    ):
        response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        request.user.remember_language(request.POST.get("language", ""))
    return response
