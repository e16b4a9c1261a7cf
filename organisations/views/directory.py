"""The public side of the organisations app: the directory, profiles, network groups and
the directory as open data (CSV and JSON)."""

import difflib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from peacenet.lib import opendata
from peacenet.lib.caching import cached_for_generation, public_page
from peacenet.lib.cards import name_card
from peacenet.lib.jsonld import json_ld_script
from peacenet.lib.links import absolute_url
from peacenet.lib.staff import has_staff_powers

from .. import exports, sections
from ..cities import canonical_city, city_key
from ..facets import find, network_group_member_counts, network_group_members
from ..filters import DirectoryFilter, search_query
from ..models import ClaimRequest, Confirmation, Membership, NetworkGroup, Organisation
from ..search import any_of, fold
from ..worldmap import country_names

PAGE_SIZE = 20
GROUP_MEMBERS_SHOWN = 30
GROUP_ANNOUNCEMENTS_SHOWN = 10


def _option(name, value, label, count, chosen):
    """One facet option; ``query`` is the change to the query string that choosing (or, when
    chosen, un-choosing) it makes."""
    return {
        "value": value,
        "label": label,
        "count": count,
        "chosen": chosen,
        # Nothing to choose: no result has it, and it is not chosen.
        "empty": not count and not chosen,
        "query": {name: None if chosen else value, "page": None},
    }


def facet_options(filterset, facets):
    """The facets as the template shows them: every option, its count, whether chosen."""
    data = filterset.form.cleaned_data
    options = filterset.options
    chosen_themes = set(data.get("theme") or [])
    chosen_country = data.get("country") or None
    country_codes = set(options["countries"]) | ({chosen_country} if chosen_country else set())
    names = country_names()
    return {
        "kinds": [
            _option("kind", value, label, facets["kind"].get(value, 0), value == data.get("kind"))
            for value, label in Organisation.Kind.choices
        ],
        "groups": [
            _option(
                "network_group",
                slug,
                name,
                facets["network_group"].get(slug, 0),
                slug == data.get("network_group"),
            )
            for slug, name in options["groups"]
        ],
        "themes": [
            _option("theme", slug, name, facets["theme"].get(slug, 0), slug in chosen_themes)
            # A chosen theme the directory does not have stays chosen, with no results.
            for slug, name in [*options["themes"], *_unknown_themes(filterset)]
        ],
        "countries": sorted(
            (
                _option(
                    "country",
                    code,
                    names.get(code, ""),
                    facets["country"].get(code, 0),
                    code == chosen_country,
                )
                for code in country_codes
            ),
            key=lambda option: option["label"],
        ),
        "confirmed": [
            _option(
                "confirmed",
                value,
                label,
                facets["confirmed"].get(value, 0),
                value == data.get("confirmed"),
            )
            for value, label in Confirmation.CHOICES
        ],
        "cities": city_options(options["cities"], facets["city"], data.get("city")),
    }


def city_options(cities, counts, chosen):
    """The city facet's options: every city of the directory with its count, and the chosen
    city (by whichever of its names it was asked for) even when no organisation is there."""
    chosen = canonical_city(chosen) if chosen else ""
    names = list(cities)
    chosen_key = city_key(chosen)
    if chosen and city_key(chosen) not in {city_key(name) for name in names}:
        names.append(chosen)
    return [
        _option("city", name, name, counts.get(city_key(name), 0), city_key(name) == chosen_key)
        for name in names
    ]


def active_filters(filterset):
    """The filters in use, each with a label and the query change that removes it."""
    data = filterset.form.cleaned_data
    group_names = dict(filterset.options["groups"])
    theme_names = dict(filterset.options["themes"])
    labels = []
    if data.get("q"):
        labels.append(("q", _("Search: %(q)s") % {"q": data["q"]}))
    if data.get("kind"):
        labels.append(("kind", Organisation.Kind(data["kind"]).label))
    if data.get("network_group"):
        labels.append(("network_group", group_names[data["network_group"]]))
    if data.get("theme"):
        names = ", ".join(theme_names.get(slug, slug) for slug in data["theme"])
        labels.append(("theme", _("Themes: %(names)s") % {"names": names}))
    if data.get("country"):
        labels.append(("country", country_names().get(data["country"], "")))
    if data.get("city"):
        city = canonical_city(data["city"])
        labels.append(("city", _("City: %(city)s") % {"city": city}))
    if data.get("confirmed"):
        labels.append(("confirmed", dict(Confirmation.CHOICES)[data["confirmed"]]))
    return [{"label": label, "remove": {name: None, "page": None}} for name, label in labels]


def filter_count(filterset):
    """How many filters are chosen, each theme counting as one (the search words, the order
    and the spelling switch are no filters): the number on the folded filter panel
    ("Filters · 2 active")."""
    data = filterset.form.cleaned_data
    chosen = [bool(data.get(name)) for name in filterset.single_choice_facets]
    return len(data.get("theme") or []) + sum(chosen)


def _unknown_themes(filterset):
    """The chosen themes (slug, slug) that no organisation of the directory has."""
    known = dict(filterset.options["themes"])
    return [
        (slug, slug)
        for slug in filterset.form.cleaned_data.get("theme") or []
        if slug not in known
    ]


def _close(text, names):
    """The names most like ``text`` (any case, any accents), or all of them if none is."""
    by_key = {fold(name): name for name in names}
    close = difflib.get_close_matches(fold(text), list(by_key), n=3, cutoff=0.6)
    return [by_key[key] for key in close] or list(names)


def suggestions(filterset):
    """When a city or theme was chosen that the directory does not have, the cities or
    themes it does have (the likeliest first), each with the change to the query string
    that chooses it instead."""
    data = filterset.form.cleaned_data
    found = []
    cities = filterset.options["cities"]
    city = data.get("city")
    if city and city_key(city) not in {city_key(name) for name in cities}:
        found += [
            {"label": name, "query": {"city": name, "page": None}} for name in _close(city, cities)
        ]
    themes = dict(filterset.options["themes"])
    chosen = data.get("theme") or []
    by_name = {name: slug for slug, name in themes.items()}
    for unknown, _name in _unknown_themes(filterset):
        for name in _close(unknown.replace("-", " "), by_name):
            instead = [by_name[name] if slug == unknown else slug for slug in chosen]
            found.append({"label": name, "query": {"theme": instead, "page": None}})
    return found


def spelling_correction(filterset):
    """What the search looked for when it corrected the spelling of the query, else ""."""
    data = filterset.form.cleaned_data
    if filterset.fuzzy or not filterset.search_text or data.get("as_typed"):
        return ""
    searched = filterset.understood(filterset.search_text)
    return str(searched) if searched.corrections else ""


def any_words(filterset):
    """For a search of several words that together find nothing, the same words joined by
    OR: the search to offer instead, else ""."""
    if filterset.fuzzy or not filterset.search_text:
        return ""
    return any_of(filterset.searched())


def requested_offset(request: HttpRequest) -> int:
    """Where the requested page starts, if it is a sensible page number."""
    page = request.GET.get("page", "1")
    number = int(page) if page.isascii() and page.isdigit() and len(page) < 7 else 1
    return (max(number, 1) - 1) * PAGE_SIZE


def search_follow(request, shared) -> str:
    """The control to follow the directory's search, for the member asking. The visitors'
    page shows one (in ``shared``, its part) only when the search may be followed: its
    filters are valid, and are not validated again."""
    if not shared.strip():
        return shared.decode()
    return render_to_string(
        "organisations/includes/search_follow.html",
        {"search": search_query(request.GET), "followable": True},
        request=request,
    )


@require_safe
@vary_on_headers("HX-Request")
# The filters' parameters and the page number: any other parameter is no new cache entry.
# Members get the visitors' page with their own control to follow the search.
@public_page(
    query=[*DirectoryFilter.base_filters, "page"],
    same_for_members=True,
    reader_parts={"follow": search_follow},
)
def directory(request: HttpRequest) -> HttpResponse:
    filterset = DirectoryFilter(request.GET)
    context = {"filter": filterset, "form": filterset.form}
    status = 200
    if filterset.is_valid():
        found = find(filterset, offset=requested_offset(request), limit=PAGE_SIZE)
        searched = found.filterset  # With similar names when the search found nothing.
        # The counts already hold the total: the paginator numbers pages over a range of
        # that length, and the page's rows are read apart (``Found.page``).
        page = Paginator(range(found.total), PAGE_SIZE).get_page(request.GET.get("page"))
        offset = (page.number - 1) * PAGE_SIZE
        # The rows, facets and notices are shown in cached fragments
        # (``{% fragment %}``): worked out only when a fragment is rendered afresh.
        page.object_list = SimpleLazyObject(lambda: found.page(offset))
        requested_page = request.GET.get("page")
        context.update(
            page_obj=page,
            total=found.total,
            facets=SimpleLazyObject(lambda: facet_options(searched, found.facets)),
            active_filters=SimpleLazyObject(lambda: active_filters(searched)),
            filter_count=filter_count(searched),
            fuzzy=searched.fuzzy,
            search_text=searched.search_text,
            ordering=searched.chosen_ordering,
            page_adjusted=bool(requested_page) and requested_page != str(page.number),
            corrected=SimpleLazyObject(lambda: spelling_correction(searched)),
            suggestions=SimpleLazyObject(lambda: suggestions(searched) if not found.total else []),
            any_words=SimpleLazyObject(lambda: any_words(searched)),
        )
    else:
        status = 400
        context.update(page_obj=None, total=0, facets=None, active_filters=[], filter_count=0)
    template = "organisations/directory.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#htmx_update"
        context["oob"] = True
    return render(request, template, context, status=status)


def json_ld(organisation: Organisation, contact: dict) -> str:
    """schema.org ``Organization`` for search engines, with only the public contact details."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute_url(organisation.get_absolute_url()),
        "description": organisation.summary,
    }
    if organisation.short_name:
        data["alternateName"] = organisation.short_name
    if organisation.website:
        data["sameAs"] = [organisation.website]
    if organisation.founded:
        data["foundingDate"] = str(organisation.founded)
    if organisation.logo:
        data["logo"] = organisation.logo_absolute_url
    if contact.get("email"):
        data["email"] = contact["email"]
    if contact.get("phone"):
        data["telephone"] = contact["phone"]
    address = {"@type": "PostalAddress", "addressLocality": organisation.city}
    if contact.get("address"):
        address.update(streetAddress=contact["address"], postalCode=contact["postcode"])
    if organisation.city or contact.get("address"):
        data["address"] = address
    if organisation.countries:
        data["areaServed"] = [country.name for country in organisation.countries]
    keywords = [theme.name for theme in organisation.themes.all()]
    if keywords:
        data["keywords"] = ", ".join(keywords)
    return json_ld_script(data)


def profiles_for(user):
    """The profiles ``user`` may see, with what the profile's actions need (``profile_actions``
    tag): whether it has members (else it may be claimed) and, for a signed-in user, their
    role (``role_for``) and whether they asked to claim it, read with it."""
    profiles = Organisation.objects.visible_to(user).annotate(
        has_members=Exists(Membership.objects.filter(organisation=OuterRef("pk")))
    )
    if user.is_authenticated:
        profiles = profiles.annotate(
            viewer_role=Subquery(
                Organisation.objects.editable_by(user)
                .filter(pk=OuterRef("pk"))
                .values("acting_role")[:1]
            ),
            claim_sent=Exists(
                ClaimRequest.objects.pending().filter(organisation=OuterRef("pk"), user=user)
            ),
        )
    return profiles


READER_PROFILE_SECONDS = 300


def profile_for_readers(slug):
    """The organisation of a profile as visitors see it, with what every member's parts need
    of it: its members' roles (``member_roles``, by user) and who asked to claim it
    (``claimant_ids``). Both are content (a change starts a new generation), so this is read
    once per content generation for all members."""
    organisation = get_object_or_404(profiles_for(AnonymousUser()), slug=slug)
    organisation.member_roles = dict(organisation.memberships.values_list("user_id", "role"))
    organisation.claimant_ids = (
        set()
        if organisation.has_members
        else set(organisation.claims.pending().values_list("user_id", flat=True))
    )
    return organisation


def _reader_profile(request):
    """The organisation of the profile asked for, with what its reader parts need of the
    member asking (``profiles_for``: ``viewer_role`` and ``claim_sent``), once for all of
    them, without a query. A reader part is given no URL arguments: the slug is the resolved
    address's."""
    if not hasattr(request, "_reader_profile"):
        slug = request.resolver_match.kwargs["slug"]
        organisation = cached_for_generation(
            f"organisations:profile-for-readers:v1:{slug}",
            lambda: profile_for_readers(slug),
            READER_PROFILE_SECONDS,
        )
        user = request.user
        # The one rule for acting for it (``editable_by``), for a member without staff powers
        # (staff get their pages rendered afresh): their membership's role.
        organisation.viewer_role = (
            organisation.role_for(user)
            if has_staff_powers(user)
            else organisation.member_roles.get(user.pk)
        )
        organisation.claim_sent = user.pk in organisation.claimant_ids
        request._reader_profile = organisation
    return request._reader_profile


def reader_actions(request, shared) -> str:
    """The profile's actions and follow control for the member asking (what
    ``_reader_profile`` reads, and their follow of it when they follow anything)."""
    return render_to_string(
        "organisations/includes/profile_actions.html",
        {"organisation": _reader_profile(request)},
        request=request,
    )


def reader_contact(request, shared) -> str:
    """The profile's contact details the member asking may see: those for members, and those
    for its own members when they act for it (rendered from these alone)."""
    organisation = _reader_profile(request)
    return render_to_string(
        "organisations/includes/profile_contact.html",
        {
            "organisation": organisation,
            "contact": organisation.visible_contact(request.user, role=organisation.viewer_role),
        },
    )


@require_safe
# Members get the visitors' page with their own actions, follow control and contact details
# put in; a profile visitors may not see (not published) is rendered for the member.
@public_page(
    same_for_members=True,
    reader_parts={"profile-actions": reader_actions, "contact": reader_contact},
)
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    organisation = get_object_or_404(profiles_for(user), slug=slug)
    # Its relations (themes, groups, offers and needs, the other apps' sections) are read
    # only where the cached fragments that show them are rendered afresh.
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "contact": organisation.visible_contact(
                user, role=getattr(organisation, "viewer_role", None)
            ),
            # For search engines: only what everyone may see, whoever is looking.
            "json_ld": SimpleLazyObject(
                lambda: json_ld(
                    sections.prefetch_profile(organisation),
                    organisation.visible_contact(AnonymousUser()),
                )
            ),
            "profile_sections": sections.PROFILE,
            "canonical_url": absolute_url(organisation.get_absolute_url()),
            "og_image": organisation.logo_absolute_url
            or absolute_url(reverse("organisations:card", kwargs={"slug": organisation.slug})),
        },
    )


CARD_CACHE_SECONDS = 3600


@require_safe
def card(request: HttpRequest, slug: str) -> HttpResponse:
    """The profile's Open Graph picture when it has no logo: its name on PeaceNet's colour,
    drawn once per content generation and language."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)
    png = cached_for_generation(
        f"organisations:card:v1:{organisation.pk}:{get_language()}",
        lambda: name_card(
            organisation.name,
            kicker=organisation.get_kind_display(),
            footer=_("PeaceNet The Hague"),
        ),
        CARD_CACHE_SECONDS,
    )
    return HttpResponse(png, content_type="image/png")


@require_safe
@public_page(same_for_members=True)
def network_groups(request: HttpRequest) -> HttpResponse:
    groups = list(NetworkGroup.objects.select_related("facilitator"))
    counts = network_group_member_counts()
    for group in groups:
        group.member_count = counts.get(group.slug, 0)
    return render(request, "organisations/network_groups.html", {"groups": groups})


@require_safe
@public_page()
def network_group(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(
        NetworkGroup.objects.select_related("facilitator")
        # What the sections that other apps add to the group's page read.
        .prefetch_related(*sections.GROUP.prefetch()),
        slug=slug,
    )
    group.member_count, members = network_group_members(group, GROUP_MEMBERS_SHOWN)
    announcements = group.announcements.visible().select_related("organisation")
    return render(
        request,
        "organisations/network_group.html",
        {
            "group": group,
            "members": members,
            "members_shown": GROUP_MEMBERS_SHOWN,
            "announcements": announcements[:GROUP_ANNOUNCEMENTS_SHOWN],
            # Facilitators (and staff) get the group's tools here and in the sections.
            "may_post": group.may_post(request.user),
            "group_sections": sections.GROUP,
        },
    )


# Open data (organisations/exports.py) ------------------------------------------------------


def export_records(request: HttpRequest):
    """The filtered directory as records, or None with the form errors when invalid."""
    filterset = DirectoryFilter(request.GET)
    if not filterset.is_valid():
        return None, filterset.form.errors
    if filterset.search_text:
        filterset = find(filterset).filterset  # Similar names when the search finds nothing.
    return exports.records(filterset.qs), None


def bad_export(errors) -> HttpResponse:
    lines = [f"{field}: {error}" for field, messages in errors.items() for error in messages]
    return HttpResponse(
        _("The filters are not valid:") + "\n" + "\n".join(lines),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _wants_everything(request: HttpRequest) -> bool:
    """Whether the export asks for no filter (nor order) at all: the full export."""
    return not any(request.GET.get(name) for name in DirectoryFilter.base_filters)


def _full_export(format: str) -> HttpResponse:
    """The prepared full export, served from its file with its length."""
    name = exports.full_export(format, wait=settings.EXPORT_WAIT_SECONDS)
    try:
        file = default_storage.open(name, "rb") if name else None
    except FileNotFoundError:  # Replaced by the next generation's this very moment.
        file = None
    if file is None:
        response = HttpResponse(
            _("The full export is being prepared. Please try again in a minute."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "30"
        return response
    response = FileResponse(file, content_type=exports.FORMATS[format])
    response["Content-Length"] = file.size
    return response


def _export(request: HttpRequest, format: str) -> HttpResponse:
    if _wants_everything(request):
        response = _full_export(format)
    else:
        records, errors = export_records(request)
        if errors is not None:
            if format == "json":
                return JsonResponse({"errors": errors.get_json_data()}, status=400)
            return bad_export(errors)
        response = StreamingHttpResponse(
            exports.CHUNKS[format](records), content_type=exports.FORMATS[format]
        )
    if format == "csv" and response.status_code == 200:
        response["Content-Disposition"] = 'attachment; filename="peacenet-organisations.csv"'
    if response.status_code == 200:
        response["Link"] = opendata.link_header()  # A CSV file has no place to say it.
    return response


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@require_safe
def export_json(request: HttpRequest) -> HttpResponse:
    return _export(request, "json")
