"""The directory as open data: CSV and JSON.

An export with filters streams its rows as they are read. The full export (no filters) is
prepared once per content generation (``peacenet.lib.caching``) as a file in the default
storage (local files, or the object store) and every download of it is served from that
file with its length, so repeat downloads cost no database work and a download always
arrives whole (a cut connection is visibly short). The first request that finds none asks
the task worker to prepare it (once, under a lock: out of the request, where no timeout cuts
a large directory short) and waits a few seconds for it (``EXPORT_WAIT_SECONDS``); if it is
still not ready the full export answers 503 with ``Retry-After``, never anything partial.
From the first request on, the worker also prepares it again a few seconds after every change
(``prepare_after_change``), so the first download after a change usually finds it ready.
Files of older generations are deleted when a new one is written.

Records are read as plain values in one query (``records``): the translated texts and hidden
contact details worked out in SQL, each organisation's themes and groups taken from its stored
facet values. On PostgreSQL the full CSV is written by the database instead, from one
statement that works out the same cells (``_csv_by_postgresql``): at 100,000 organisations
that takes about half as long as the records and the writer in Python.
"""

import csv
import datetime
import io
import json
import re
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.db.models import (
    Case,
    F,
    StringAgg,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Collate, Concat, Left, NullIf, Replace, RowNumber
from django.db.models.lookups import In
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from peacenet.lib import opendata
from peacenet.lib.caching import current_generation, page_cache
from peacenet.lib.links import absolute_url

from .facet_values import token
from .models import NetworkGroup, Organisation, Theme, ThemedItem, Visibility

EXPORT_CHUNK = 2000
EXPORT_FOLDER = "exports"
# At most this long between asking for a full export and having it (a worker that dies
# while preparing it is asked again after it).
LOCK_SECONDS = 600
# How often a request waiting for the full export looks whether it is ready.
WAIT_STEP_SECONDS = 0.2
# How long after a change the full exports are prepared again (see ``prepare_after_change``).
PREPARE_AFTER = datetime.timedelta(seconds=10)

EXPORT_FIELDS = [
    "name",
    "short_name",
    "kind",
    "summary",
    "description",
    "website",
    "email",
    "phone",
    "address",
    "postcode",
    "city",
    "founded",
    "countries",
    "focus_regions",
    "themes",
    "network_groups",
    "last_confirmed",
    "url",
]
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _in_reader_language(field, model=Organisation, prefix=""):
    """A translated ``field`` of ``model`` as reading it gives (modeltranslation): in the
    reader's language, else in the first language of its fallbacks that has it, else empty.
    ``prefix`` reaches it across a relation (``"tag__"``)."""
    languages = resolution_order(get_language(), getattr(model, field).fallback_languages)
    return Coalesce(
        *(
            NullIf(F(prefix + build_localized_fieldname(field, code)), Value(""))
            for code in languages
        ),
        Value(""),
        output_field=TextField(),
    )


def _if_public(field, visibility):
    """``field``, or nothing unless the organisation made it public with ``visibility``."""
    return Case(
        When(**{visibility: Visibility.PUBLIC}, then=F(field)),
        default=Value(""),
        output_field=TextField(),
    )


# What the organisations' query reads: the fields of ``EXPORT_FIELDS`` but themes and network
# groups, each as the export has it or as ``_records`` turns it into that, and the
# organisation's facet values, where its themes and groups are.
COLUMNS = {
    "name": F("name"),
    "short_name": F("short_name"),
    "kind": F("kind"),
    "summary": lambda: _in_reader_language("summary"),
    "description": lambda: _in_reader_language("description"),
    "website": F("website"),
    "email": lambda: _if_public("email", "email_visibility"),
    "phone": lambda: _if_public("phone", "phone_visibility"),
    "address": lambda: _if_public("address", "address_visibility"),
    "postcode": lambda: _if_public("postcode", "address_visibility"),
    "city": F("city"),
    "founded": F("founded"),
    "countries": F("countries"),
    "focus_regions": F("focus_regions"),
    "last_confirmed": F("last_confirmed"),
    "url": F("slug"),
    "facet_values": F("facet_values"),
}


def _group_order(prefix=""):
    """The order of an organisation's network groups in a record: by position, then by name
    as the reader reads it, then as they were made. ``prefix`` reaches the groups across a
    relation."""
    name = _in_reader_language("name", NetworkGroup, prefix)
    return [F(f"{prefix}position"), name, F(f"{prefix}pk")]


COUNTRIES, THEMES, GROUPS, CONFIRMED, URL = map(
    EXPORT_FIELDS.index, ("countries", "themes", "network_groups", "last_confirmed", "url")
)


def records(organisations):
    """The organisations of a queryset as open-data records: for each, a list of the values
    of ``EXPORT_FIELDS`` in order; public fields, and contact details only where the
    organisation made them public. One query reads them in chunks, each organisation's themes
    and network groups from its stored facet values (``facet_values.py``, which follow every
    change); two more read the themes' names and the groups' order."""
    expressions = {}
    for field in [field for field in EXPORT_FIELDS if field in COLUMNS] + ["facet_values"]:
        column = COLUMNS[field]
        expressions[f"export_{field}"] = column() if callable(column) else column
    # Read as they are: the translated texts are chosen above, not by modeltranslation.
    rows = organisations.rewrite(False).annotate(**expressions).values_list(*expressions)
    themes = {theme.slug: theme.name for theme in Theme.objects.all()}
    groups = {
        slug: position
        for position, slug in enumerate(
            NetworkGroup.objects.order_by(*_group_order()).values_list("slug", flat=True)
        )
    }
    return _records(rows.iterator(chunk_size=EXPORT_CHUNK), themes, groups)


def _records(rows, themes, groups):
    countries = {}  # Each different list of countries, as codes, turned once.
    url = _organisation_url()
    # What each stored facet value of a theme or group stands for in the record: a theme's
    # name, a group's slug. (A theme or group deleted this moment is left out.)
    theme_names = {token("theme", slug): name for slug, name in themes.items()}
    group_slugs = {token("network_group", slug): slug for slug in groups}
    for *values, facets in rows:
        chosen_themes = [theme_names[value] for value in facets if value in theme_names]
        chosen_groups = [group_slugs[value] for value in facets if value in group_slugs]
        chosen_themes.sort()
        chosen_groups.sort(key=groups.__getitem__)
        record = values
        record.insert(THEMES, chosen_themes)  # THEMES < GROUPS
        record.insert(GROUPS, chosen_groups)
        stored = record[COUNTRIES]
        if stored not in countries:
            countries[stored] = _country_codes(stored)
        record[COUNTRIES] = countries[stored]
        if record[CONFIRMED]:
            record[CONFIRMED] = record[CONFIRMED].isoformat()
        record[URL] = url(record[URL])
        yield record


def _country_codes(stored):
    """The codes of an organisation's countries as its field reads them from ``stored``."""
    field = Organisation.countries  # django-countries' descriptor of the field
    return [field.country(code).code for code in field.field.get_clean_value(stored)]


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _organisation_url_parts():
    """The full address of an organisation's page (in the reader's language) before and
    after its slug."""
    marker = "export-slug"
    before, after = absolute_url(reverse("organisations:detail", kwargs={"slug": marker})).split(
        marker
    )
    return before, after


def _organisation_url():
    """A function from an organisation's slug to the full address of its page (in the
    reader's language), reversing the address once rather than once per organisation."""
    before, after = _organisation_url_parts()

    def url(slug):
        if SLUG.fullmatch(slug):
            return before + slug + after
        return absolute_url(reverse("organisations:detail", kwargs={"slug": slug}))

    return url


# A spreadsheet reads a cell beginning with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value):
    """A value as a CSV cell: lists joined with semicolons, nothing for None, and text that a
    spreadsheet would run as a formula neutralised by a leading apostrophe."""
    if isinstance(value, list):
        value = ";".join(value)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_row(record):
    """A record's cells (``csv_value``, with text, most of them, seen to here)."""
    return [
        ("'" + value if value.startswith(FORMULA_STARTS) else value)
        if type(value) is str
        else csv_value(value)
        for value in record
    ]


# Records written out together: a chunk of a streamed export.
LINES_PER_CHUNK = 500


def _batches(rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == LINES_PER_CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def csv_chunks(rows):
    """The records as CSV, ``LINES_PER_CHUNK`` lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    for batch in _batches(rows):
        writer.writerows(map(_csv_row, batch))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


# ``json.dumps(records, ensure_ascii=False)``, without making an encoder for every call.
_json_records = json.JSONEncoder(ensure_ascii=False).encode


def _json_opening():
    """The JSON document up to its first record; ``JSON_CLOSING`` follows its last."""
    source = absolute_url(reverse("organisations:directory"))
    licence = json.dumps(opendata.licence(), ensure_ascii=False)
    return f'{{"source": {json.dumps(source)}, "licence": {licence}, "organisations": ['


JSON_CLOSING = "]}"


def json_chunks(rows):
    """The records as one JSON document, ``LINES_PER_CHUNK`` records at a time."""
    opening = _json_opening()
    for batch in _batches(rows):
        objects = [dict(zip(EXPORT_FIELDS, record, strict=True)) for record in batch]
        yield opening + _json_records(objects)[1:-1]  # Encoded together: a third faster.
        opening = ","
    yield ("" if opening == "," else opening) + JSON_CLOSING


CHUNKS = {"csv": csv_chunks, "json": json_chunks}


def full_export_content(format, organisations):
    """The export of ``organisations`` in ``format`` as bytes: a CSV on PostgreSQL written by
    the database (``_csv_by_postgresql``), anything else by ``CHUNKS`` from ``records``."""
    if format == "csv" and connections[organisations.db].vendor == "postgresql":
        return _csv_by_postgresql(organisations)
    return "".join(CHUNKS[format](records(organisations))).encode()


# The CSV written by PostgreSQL -------------------------------------------------------------
# One statement works out every cell of the CSV as ``records`` and ``csv_value`` do, and the
# database writes the lines (``COPY ... (FORMAT csv)``). Each organisation's themes and
# network groups are aggregated in one pass each and joined on. At 100,000 organisations this
# takes about half the time of the records and the writer in Python, most of it the
# database's. What it writes reads back as exactly what ``csv_chunks`` writes (a test
# compares them on PostgreSQL), but its lines end in a line feed rather than CR LF. (The
# JSON gains nothing this way: encoding it takes as long in the database as in Python.)


def _csv_cell(expression):
    """A text value as ``csv_value`` writes it: a would-be formula neutralised, and nothing
    (an unquoted empty cell) for an empty text."""
    guarded = Case(
        When(
            In(Left(expression, 1), FORMULA_STARTS),
            then=Concat(Value("'"), expression, output_field=TextField()),
        ),
        default=expression,
        output_field=TextField(),
    )
    return NullIf(guarded, Value(""), output_field=TextField())


def _theme_cells():
    """Each organisation's themes by name in the reader's language, sorted as Python sorts
    them, joined with semicolons."""
    name = _in_reader_language("name", Theme, prefix="tag__")
    return (
        ThemedItem.objects.filter(content_type=ContentType.objects.get_for_model(Organisation))
        .values("object_id")
        .annotate(names=_csv_cell(StringAgg(name, Value(";"), order_by=Collate(name, "C"))))
        .values_list("object_id", "names")
    )


def _group_cells():
    """Each organisation's network groups by slug, in the groups' order, joined with
    semicolons."""
    order = _group_order(prefix="networkgroup__")
    slugs = StringAgg(F("networkgroup__slug"), Value(";"), order_by=order)
    return (
        Organisation.network_groups.through.objects.values("organisation_id")
        .annotate(slugs=_csv_cell(slugs))
        .values_list("organisation_id", "slugs")
    )


def _organisation_cells(organisations):
    """The organisations' cells but themes and network groups, as ``export_<field>``, with
    ``export_pk`` and their place in the queryset's order, ``export_position``."""
    before, after = _organisation_url_parts()
    cells = {}
    for field in EXPORT_FIELDS:
        if field in ("themes", "network_groups"):
            continue
        if field == "url":
            cell = Concat(Value(before), F("slug"), Value(after), output_field=TextField())
        elif field == "countries":
            cell = Replace(F("countries"), Value(","), Value(";"), output_field=TextField())
        else:
            cell = COLUMNS[field]
            cell = cell() if callable(cell) else cell
        if field not in ("founded", "last_confirmed"):  # Text, seen to as ``csv_value`` does.
            cell = _csv_cell(cell)
        cells[f"export_{field}"] = cell
    return (
        organisations.rewrite(False)
        .annotate(
            export_pk=F("pk"),
            export_position=Window(RowNumber(), order_by=list(organisations.query.order_by)),
            **cells,
        )
        .order_by()
        .values_list("export_pk", "export_position", *cells)
    )


def _csv_statement(organisations):
    """The SQL and parameters of one statement that reads the cells of ``EXPORT_FIELDS`` for
    each of ``organisations``, in order."""
    (rows, rows_params), (themes, themes_params), (groups, groups_params) = (
        queryset.query.get_compiler(organisations.db).as_sql()
        for queryset in (_organisation_cells(organisations), _theme_cells(), _group_cells())
    )
    cells = {field: f"o.export_{field}" for field in EXPORT_FIELDS}
    cells["themes"] = "theme_names.names"
    cells["network_groups"] = "group_slugs.slugs"
    # Every part is the ORM's SQL with its parameters apart, or a constant of this module.
    statement = (
        f"SELECT {', '.join(cells.values())} FROM ({rows}) o"  # noqa: S608
        f" LEFT JOIN ({themes}) theme_names (id, names) ON theme_names.id = o.export_pk"
        f" LEFT JOIN ({groups}) group_slugs (id, slugs) ON group_slugs.id = o.export_pk"
        " ORDER BY o.export_position"
    )
    return statement, (*rows_params, *themes_params, *groups_params)


def _csv_by_postgresql(organisations):
    """The CSV of ``organisations``, its lines written by PostgreSQL."""
    statement, params = _csv_statement(organisations)
    content = [",".join(EXPORT_FIELDS).encode() + b"\n"]
    copy = f"COPY ({statement}) TO STDOUT (FORMAT csv)"
    with (
        connections[organisations.db].cursor() as cursor,
        cursor.cursor.copy(copy, params) as lines,
    ):
        content.extend(lines)
    return b"".join(content)


def full_export_name(generation, format):
    return f"{EXPORT_FOLDER}/peacenet-organisations-{generation}.{format}"


# Written beside a full export once the export is complete: on local files the export's
# name exists while it is still being written, and it is served only once this one does.
READY = ".ready"


def build_full_export(format, generation):
    """Write the full export of every published organisation for ``generation`` to the
    default storage, then its ``READY`` mark; returns its name. Older generations' files are
    deleted. It is one file for every reader, written in the site's language (texts, theme
    names, addresses) as the task worker writes it, whoever's change or download asked."""
    organisations = Organisation.objects.published().order_by("name", "pk")
    with translation.override(settings.LANGUAGE_CODE):
        content = full_export_content(format, organisations)
    name = full_export_name(generation, format)
    for old in (name + READY, name):
        if default_storage.exists(old):
            default_storage.delete(old)
    saved = default_storage.save(name, ContentFile(content))
    default_storage.save(saved + READY, ContentFile(b""))
    _delete_older(format, keep=saved)
    return saved


def _delete_older(format, keep):
    try:
        _, files = default_storage.listdir(EXPORT_FOLDER)
    except FileNotFoundError:
        return
    for file in files:
        name = f"{EXPORT_FOLDER}/{file}"
        if name not in (keep, keep + READY) and file.endswith((f".{format}", f".{format}{READY}")):
            default_storage.delete(name)


@task
def prepare_full_export(*, format, generation):
    """Write the full export for ``generation`` (run by the task worker, where no request
    timeout cuts it short), unless the content has changed since it was asked for."""
    try:
        if current_generation() == generation:
            build_full_export(format, generation)
    finally:
        page_cache().delete(_lock(format, generation))


def _lock(format, generation):
    return f"organisations:export-lock:{format}:{generation}"


def _ready(name):
    return default_storage.exists(name + READY)


def full_export(format, *, wait=0):
    """The name of the full export of the current content generation in the default
    storage, or None while it is being prepared. The first request that finds none asks the
    task worker to prepare it (once: under a lock); with the immediate task backend it is
    ready at once. A request that finds it being prepared waits up to ``wait`` seconds for
    it, one request at a time: many asking at once hold at most one app server process
    (the others are answered at once)."""
    generation = current_generation()
    name = full_export_name(generation, format)
    if _ready(name):
        return name
    cache = page_cache()
    if cache.add(_lock(format, generation), True, LOCK_SECONDS):
        cache.set(_wanted(format), True, None)  # Prepared again after every change from now.
        prepare_full_export.enqueue(format=format, generation=generation)
    if _ready(name):
        return name
    waiting = f"organisations:export-waiting:{format}:{generation}"
    if not wait or not cache.add(waiting, True, wait + 1):
        return None
    try:
        waited_until = time.monotonic() + wait
        while not _ready(name):
            if time.monotonic() >= waited_until:
                return None
            time.sleep(WAIT_STEP_SECONDS)
        return name
    finally:
        cache.delete(waiting)


# Preparing the full exports again after a change, before anyone asks -----------------------


def _wanted(format):
    """Set once anyone has asked for the full export in ``format``: from then on it is
    prepared again after every change."""
    return f"organisations:export-wanted:{format}"


SCHEDULED = "organisations:exports-scheduled"


def prepare_after_change(**kwargs):
    """Ask the task worker to prepare again, ``PREPARE_AFTER`` from now, the full exports
    anyone has asked for, so that the first download after a change finds its file ready.
    A burst of changes asks once: the changes made before the worker starts are all in the
    export it writes, and a change made after that asks again. (Connected to
    ``caching.generation_changed``.)"""
    cache = page_cache()
    if not any(cache.get_many([_wanted(format) for format in FORMATS]).values()):
        return
    if cache.add(SCHEDULED, True, PREPARE_AFTER.seconds + LOCK_SECONDS):
        task = prepare_current_exports
        if task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + PREPARE_AFTER)
        task.enqueue()


@task
def prepare_current_exports():
    """Write the full exports anyone has asked for, for the current content generation,
    unless they are written or being written already."""
    cache = page_cache()
    cache.delete(SCHEDULED)  # A change from now on asks again.
    generation = current_generation()
    wanted = cache.get_many([_wanted(format) for format in FORMATS])
    for format in FORMATS:
        lock = _lock(format, generation)
        if _wanted(format) not in wanted or _ready(full_export_name(generation, format)):
            continue
        if cache.add(lock, True, LOCK_SECONDS):
            try:
                build_full_export(format, generation)
            finally:
                cache.delete(lock)
