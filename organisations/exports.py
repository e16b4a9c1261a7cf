"""The directory as open data: CSV and JSON.

An export with filters streams its rows as they are read. The full export (no filters) is
prepared once per content generation (``peacenet.lib.caching``) as a file in the default
storage (local files, or the object store) and every download of it is served from that
file with its length, so repeat downloads cost no database work and a download always
arrives whole (a cut connection is visibly short). The first request after a change asks
the task worker to prepare it (once, under a lock; writing 100,000 rows takes longer than a
request may); until it is ready the full export answers 503 with ``Retry-After``, never
anything partial. Files of older generations are deleted when a new one is written.
"""

import csv
import io
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.tasks import task
from django.urls import reverse

from peacenet.lib import opendata
from peacenet.lib.caching import current_generation, page_cache
from peacenet.lib.links import absolute_url

from .models import NetworkGroup, Organisation, Visibility

EXPORT_CHUNK = 2000
EXPORT_FOLDER = "exports"
# At most this long between asking for a full export and having it (a worker that dies
# while preparing it is asked again after it).
LOCK_SECONDS = 600

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


def public_record(organisation: Organisation) -> dict:
    """One organisation as open data: public fields, and contact details only where the
    organisation made them public."""
    public = Visibility.PUBLIC
    address_public = organisation.address_visibility == public
    return {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "summary": organisation.summary,
        "description": organisation.description,
        "website": organisation.website,
        "email": organisation.email if organisation.email_visibility == public else "",
        "phone": organisation.phone if organisation.phone_visibility == public else "",
        "address": organisation.address if address_public else "",
        "postcode": organisation.postcode if address_public else "",
        "city": organisation.city,
        "founded": organisation.founded,
        "countries": [country.code for country in organisation.countries],
        "focus_regions": organisation.focus_regions,
        "themes": sorted(theme.name for theme in organisation.themes.all()),
        "network_groups": [group.slug for group in organisation.network_groups.all()],
        "last_confirmed": (
            organisation.last_confirmed.isoformat() if organisation.last_confirmed else None
        ),
        "url": absolute_url(organisation.get_absolute_url()),
    }


def records(organisations):
    """The organisations of a queryset as open-data records, read in chunks."""
    organisations = organisations.prefetch_related(
        "themes", Prefetch("network_groups", NetworkGroup.objects.order_by("position", "name"))
    )
    return (public_record(o) for o in organisations.iterator(chunk_size=EXPORT_CHUNK))


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


class _Echo:
    def write(self, value):
        return value


def csv_chunks(rows):
    """The records as CSV, a line at a time."""
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_FIELDS)
    for record in rows:
        yield writer.writerow([csv_value(record[field]) for field in EXPORT_FIELDS])


def json_chunks(rows):
    """The records as one JSON document, a record at a time."""
    source = absolute_url(reverse("organisations:directory"))
    licence = json.dumps(opendata.licence(), ensure_ascii=False)
    yield f'{{"source": {json.dumps(source)}, "licence": {licence}, "organisations": ['
    for index, record in enumerate(rows):
        yield ("," if index else "") + json.dumps(record, ensure_ascii=False)
    yield "]}"


CHUNKS = {"csv": csv_chunks, "json": json_chunks}


def full_export_name(generation, format):
    return f"{EXPORT_FOLDER}/peacenet-organisations-{generation}.{format}"


# Written beside a full export once the export is complete: on local files the export's
# name exists while it is still being written, and it is served only once this one does.
READY = ".ready"


def build_full_export(format, generation):
    """Write the full export of every published organisation for ``generation`` to the
    default storage, then its ``READY`` mark; returns its name. Older generations' files are
    deleted."""
    buffer = io.StringIO()
    for chunk in CHUNKS[format](records(Organisation.objects.published().order_by("name", "pk"))):
        buffer.write(chunk)
    name = full_export_name(generation, format)
    for old in (name + READY, name):
        if default_storage.exists(old):
            default_storage.delete(old)
    saved = default_storage.save(name, ContentFile(buffer.getvalue().encode()))
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


def full_export(format):
    """The name of the full export of the current content generation in the default
    storage, or None while it is being prepared. The first request that finds none asks the
    task worker to prepare it (once: under a lock); with the immediate task backend it is
    ready at once."""
    generation = current_generation()
    name = full_export_name(generation, format)
    if default_storage.exists(name + READY):
        return name
    if page_cache().add(_lock(format, generation), True, LOCK_SECONDS):
        prepare_full_export.enqueue(format=format, generation=generation)
        if default_storage.exists(name + READY):
            return name
    return None
