"""The network in numbers (``/statistics/``): what each chart counts, over what anyone may
see (published organisations, public partnerships, published events).

``numbers()`` counts, once per content generation (``peacenet.lib.caching``), and keeps only
keys and numbers; ``charts()`` puts them into labelled ``Chart``s in the current language.
The directory's own facet counts (``organisations.facets.find``) give the organisations by
kind, network group, theme and country, so these numbers are the directory's numbers.
"""

import datetime

from django.db.models import Count
from django.db.models.functions import ExtractYear, TruncMonth
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_countries import countries

from events.models import Event, Registration
from organisations.facets import directory_options, find
from organisations.filters import DirectoryFilter
from organisations.models import Organisation
from partnerships.models import PartnershipProposal, ProposalStatus

from .charts import Chart, Row
from .lib.caching import cached_for_generation

CACHE_KEY = "peacenet:statistics:v1"
CACHE_SECONDS = 600
TOP = 15
MONTHS = 24


def month_starts(today, months=MONTHS):
    """The first days of the last ``months`` months up to ``today``'s, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _step in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _new_per_month():
    starts = month_starts(timezone.localdate())
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time()))
    counts = {
        (month.year, month.month): total
        for month, total in Organisation.objects.published()
        .filter(created__gte=since)
        .annotate(month=TruncMonth("created"))
        .order_by()
        .values_list("month")
        .annotate(total=Count("pk"))
    }
    return [(start, counts.get((start.year, start.month), 0)) for start in starts]


def _events_per_year():
    events = dict(
        Event.objects.published()
        .annotate(year=ExtractYear("start"))
        .order_by()
        .values_list("year")
        .annotate(total=Count("pk"))
    )
    registrations = dict(
        Registration.objects.confirmed()
        .filter(event__is_published=True)
        .annotate(year=ExtractYear("event__start"))
        .order_by()
        .values_list("year")
        .annotate(total=Count("pk"))
    )
    return [(year, events[year], registrations.get(year, 0)) for year in sorted(events)]


def _compute():
    directory = DirectoryFilter({})
    directory.is_valid()
    facets = find(directory).facets
    return {
        "total": facets["total"],
        "kinds": facets["kind"],
        "groups": facets["network_group"],
        "themes": facets["theme"],
        "countries": facets["country"],
        "months": _new_per_month(),
        "statuses": dict(
            PartnershipProposal.objects.public()
            .order_by()
            .values_list("status")
            .annotate(total=Count("pk"))
        ),
        "events": _events_per_year(),
    }


def numbers():
    """Every number behind the statistics, cached for the content generation."""
    return cached_for_generation(CACHE_KEY, _compute, CACHE_SECONDS)


def _link(name, **query):
    return reverse(name) + "?" + urlencode(query)


def _top(counts, limit=TOP):
    """The ``limit`` biggest of ``counts``, biggest first, ties by key."""
    return sorted(
        ((key, n) for key, n in counts.items() if key and n), key=lambda kv: (-kv[1], kv[0])
    )[:limit]


def charts(data=None):
    """The charts of the statistics page, labelled in the current language."""
    data = numbers() if data is None else data
    options = directory_options()
    organisations = _("Organisations")
    theme_names = dict(options["themes"])
    return [
        Chart(
            slug="organisations-by-kind",
            title=_("Organisations by kind"),
            kind="bars",
            label_heading=_("Kind"),
            series=[organisations],
            rows=[
                Row(
                    label,
                    (data["kinds"].get(value, 0),),
                    _link("organisations:directory", kind=value),
                )
                for value, label in Organisation.Kind.choices
            ],
        ),
        Chart(
            slug="organisations-by-network-group",
            title=_("Organisations by network group"),
            kind="bars",
            label_heading=_("Network group"),
            series=[organisations],
            rows=[
                Row(
                    name,
                    (data["groups"].get(slug, 0),),
                    _link("organisations:directory", network_group=slug),
                )
                for slug, name in options["groups"]
            ],
        ),
        Chart(
            slug="organisations-by-theme",
            title=_("The %(count)d most common themes") % {"count": TOP},
            kind="bars",
            label_heading=_("Theme"),
            series=[organisations],
            rows=[
                Row(
                    theme_names.get(slug, slug), (n,), _link("organisations:directory", theme=slug)
                )
                for slug, n in _top(data["themes"])
            ],
        ),
        Chart(
            slug="countries-of-focus",
            title=_("The %(count)d countries most focused on") % {"count": TOP},
            kind="bars",
            label_heading=_("Country"),
            series=[organisations],
            rows=[
                Row(countries.name(code), (n,), _link("organisations:directory", country=code))
                for code, n in _top(data["countries"])
            ],
        ),
        Chart(
            slug="new-organisations",
            title=_("New organisations per month, the last %(count)d months") % {"count": MONTHS},
            kind="columns",
            label_heading=_("Month"),
            series=[organisations],
            rows=[
                Row(
                    formats.date_format(start, "YEAR_MONTH_FORMAT"),
                    (n,),
                    axis_label=formats.date_format(start, "MONTH_YEAR_SHORT_FORMAT")
                    if start.month % 3 == 1
                    else "",
                )
                for start, n in data["months"]
            ],
        ),
        Chart(
            slug="partnerships-by-status",
            title=_("Partnerships by status"),
            kind="bars",
            label_heading=_("Status"),
            series=[_("Partnerships")],
            rows=[
                Row(
                    label,
                    (data["statuses"].get(value, 0),),
                    _link("partnerships:list", status=value),
                )
                for value, label in ProposalStatus.choices
                if value != ProposalStatus.DRAFT
            ],
        ),
        Chart(
            slug="events-per-year",
            title=_("Events per year, and their registrations"),
            kind="columns",
            label_heading=_("Year"),
            series=[_("Events"), _("Registrations")],
            rows=[
                Row(str(year), (n, registered), axis_label=str(year))
                for year, n, registered in data["events"]
            ],
        ),
    ]


def chart_by_slug(slug):
    return next((chart for chart in charts() if chart.slug == slug), None)
