import csv
import datetime
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from organisations import exports
from organisations.models import Organisation, Theme
from peacenet.lib.caching import current_generation, page_cache
from tests.clock import frozen_clock
from tests.factories import NetworkGroupFactory, OrganisationFactory
from tests.languages import in_language
from tests.mailers import run_worker

pytestmark = pytest.mark.django_db

CSV = reverse("organisations:export_csv")
JSON = reverse("organisations:export_json")


def _csv(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def _json(response):
    return json.loads(b"".join(response.streaming_content))


@pytest.fixture
def organisations():
    group = NetworkGroupFactory(slug="youth")
    public = OrganisationFactory(
        name="Open Foundation",
        slug="open",
        kind="ngo",
        email="open@example.org",
        email_visibility="public",
        phone="070 111",
        phone_visibility="members",
        address="Straat 1",
        address_visibility="admins",
        countries=["CD", "BI"],
        themes=["Youth", "Gender"],
    )
    public.network_groups.add(group)
    OrganisationFactory(name="Ministry", slug="ministry", kind="government")
    OrganisationFactory(name="Waiting", slug="waiting", status="pending")
    return public


def test_export_csv_lists_published_organisations_with_public_fields(client, organisations):
    response = client.get(CSV)
    rows = _csv(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert [row["name"] for row in rows] == ["Ministry", "Open Foundation"]
    open_row = rows[1]
    assert open_row["email"] == "open@example.org"
    assert open_row["phone"] == ""
    assert open_row["address"] == ""
    assert open_row["countries"] == "BI;CD"
    assert open_row["themes"] == "Gender;Youth"
    assert open_row["network_groups"] == "youth"
    assert open_row["url"].endswith("/organisations/open/")


def test_export_never_contains_hidden_contact_details(client, organisations):
    for url in (CSV, JSON):
        response = client.get(url)
        body = b"".join(response.streaming_content).decode()

        assert "070 111" not in body
        assert "Straat 1" not in body
        assert "status" not in body


def test_export_json_applies_the_current_filters(client, organisations):
    data = _json(client.get(JSON, {"kind": "ngo", "country": "CD", "theme": "youth"}))

    assert [o["name"] for o in data["organisations"]] == ["Open Foundation"]
    assert data["organisations"][0]["countries"] == ["BI", "CD"]
    assert data["source"].endswith("/organisations/")


def test_export_csv_applies_the_search(client, organisations):
    rows = _csv(client.get(CSV, {"q": "ministry"}))

    assert [row["name"] for row in rows] == ["Ministry"]


def test_export_with_invalid_filters_answers_400_with_the_reason(client, organisations):
    csv_response = client.get(CSV, {"kind": "spaceship"})
    json_response = client.get(JSON, {"kind": "spaceship"})

    assert csv_response.status_code == 400
    assert "kind" in csv_response.content.decode()
    assert json_response.status_code == 400
    assert "kind" in json_response.json()["errors"]


@pytest.mark.parametrize("count", [1, 30])
def test_export_query_count_is_fixed(client, django_assert_num_queries, count):
    group = NetworkGroupFactory()
    for organisation in OrganisationFactory.create_batch(count, themes=["Gender"]):
        organisation.network_groups.add(group)

    # The full export, prepared once: organisations, themes, groups.
    with django_assert_num_queries(3):
        assert len(_json(client.get(JSON))["organisations"]) == count
    # A filtered one streams: the filters' options (groups, themes, countries, cities);
    # organisations, themes, groups.
    with django_assert_num_queries(7):
        assert len(_json(client.get(JSON, {"kind": "ngo"}))["organisations"]) == count


@pytest.mark.parametrize(("address", "parse"), [(CSV, _csv), (JSON, _json)])
def test_full_export_is_prepared_once_and_downloaded_again_without_the_database(
    client, django_assert_num_queries, organisations, address, parse
):
    first = client.get(address)
    body = b"".join(first.streaming_content)

    with django_assert_num_queries(0):
        again = client.get(address)
        again_body = b"".join(again.streaming_content)

    assert again_body == body
    # Sent with its length, so a download cut short is visibly incomplete.
    assert int(again["Content-Length"]) == len(body)
    rows = parse(client.get(address))
    assert len(rows if address == CSV else rows["organisations"]) == 2


def test_full_export_is_prepared_afresh_after_a_change(
    client, organisations, django_capture_on_commit_callbacks, settings
):
    assert len(_json(client.get(JSON))["organisations"]) == 2

    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory(name="New Foundation", slug="new")

    names = [record["name"] for record in _json(client.get(JSON))["organisations"]]
    assert "New Foundation" in names
    # Only the current generation's file (and its mark) is kept.
    assert len(list((settings.MEDIA_ROOT / exports.EXPORT_FOLDER).glob("*.json"))) == 1
    assert len(list((settings.MEDIA_ROOT / exports.EXPORT_FOLDER).glob("*.json.ready"))) == 1


def test_full_export_being_prepared_answers_503_not_a_partial_file(client, organisations):
    lock = f"organisations:export-lock:json:{current_generation()}"
    page_cache().add(lock, True, 60)  # The task worker is preparing it.

    response = client.get(JSON)

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "being prepared" in response.content.decode()


def test_full_export_still_being_written_is_not_served(client, organisations, settings):
    # The worker has begun writing the file (under its lock), but not finished it.
    generation = current_generation()
    page_cache().add(f"organisations:export-lock:csv:{generation}", True, 60)
    partial = settings.MEDIA_ROOT / exports.full_export_name(generation, "csv")
    partial.parent.mkdir(parents=True)
    partial.write_text("name,slug\nPeace Organisation 1,peace-organisation-1\n")

    response = client.get(CSV)

    assert response.status_code == 503
    assert "being prepared" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_full_export_is_prepared_by_the_task_worker(client, organisations, database_tasks):
    assert client.get(CSV).status_code == 503  # Asked for; the worker has not run yet.
    assert client.get(CSV).status_code == 503  # Asked for once, not twice.
    assert DBTaskResult.objects.count() == 1

    run_worker()

    assert len(_csv(client.get(CSV))) == 2


@pytest.mark.parametrize("query", [{}, {"kind": "ngo"}])  # prepared, and streamed
def test_export_record_has_every_field_as_the_organisation_shows_it(client, query):
    later = NetworkGroupFactory(slug="later", position=2)
    earlier = NetworkGroupFactory(slug="earlier", position=1)
    organisation = OrganisationFactory(
        name="=Formula Foundation",
        slug="formula",
        short_name="@FF",
        summary="",  # Written in French only: read in English, the French text.
        summary_fr="Pour la paix.",
        description="+ a description",
        email="formula@example.org",
        email_visibility="members",
        phone="-070 222",
        phone_visibility="public",
        address="Plein 2",
        postcode="2511 CR",
        address_visibility="public",
        founded=1999,
        countries=["CD", "BI"],
        themes=["Youth", "Gender"],
        last_confirmed=datetime.date(2026, 5, 1),
    )
    organisation.network_groups.add(later, earlier)

    [row] = _csv(client.get(CSV, query))
    [record] = _json(client.get(JSON, query))["organisations"]

    assert record == {
        "name": "=Formula Foundation",
        "short_name": "@FF",
        "kind": "ngo",
        "summary": "Pour la paix.",
        "description": "+ a description",
        "website": "",
        "email": "",
        "phone": "-070 222",
        "address": "Plein 2",
        "postcode": "2511 CR",
        "city": "The Hague",
        "founded": 1999,
        "countries": ["BI", "CD"],
        "focus_regions": "",
        "themes": ["Gender", "Youth"],
        "network_groups": ["earlier", "later"],
        "last_confirmed": "2026-05-01",
        "url": record["url"],
    }
    assert record["url"].endswith("/organisations/formula/")
    # A spreadsheet runs none of it.
    assert row == {
        **{field: str(value) for field, value in record.items()},
        "name": "'=Formula Foundation",
        "short_name": "'@FF",
        "description": "'+ a description",
        "phone": "'-070 222",
        "countries": "BI;CD",
        "themes": "Gender;Youth",
        "network_groups": "earlier;later",
    }


def test_full_export_being_prepared_is_waited_for(client, organisations, settings, monkeypatch):
    settings.EXPORT_WAIT_SECONDS = 10
    generation = current_generation()
    page_cache().add(f"organisations:export-lock:csv:{generation}", True, 60)  # The worker's.
    waits = []

    def worker_finishes(seconds):  # While the download waits, the worker writes the file.
        waits.append(seconds)
        exports.build_full_export("csv", generation)

    monkeypatch.setattr(exports.time, "sleep", worker_finishes)

    response = client.get(CSV)

    assert response.status_code == 200
    assert len(_csv(response)) == 2
    assert len(waits) == 1


def test_only_one_download_at_a_time_waits_for_the_full_export(
    client, organisations, settings, monkeypatch
):
    settings.EXPORT_WAIT_SECONDS = 10
    generation = current_generation()
    page_cache().add(f"organisations:export-lock:csv:{generation}", True, 60)  # The worker's.
    page_cache().add(f"organisations:export-waiting:csv:{generation}", True, 60)  # Someone's.

    def no_waiting(seconds):
        raise AssertionError("a second download waited")

    monkeypatch.setattr(exports.time, "sleep", no_waiting)

    assert client.get(CSV).status_code == 503


def test_full_export_downloaded_before_is_prepared_again_after_a_change(
    client, organisations, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get(JSON)  # Someone downloads it: from now on it is prepared after every change.

    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory(name="New Foundation", slug="new")

    with django_assert_num_queries(0):  # Ready before anyone asks for it.
        names = [record["name"] for record in _json(client.get(JSON))["organisations"]]
    assert "New Foundation" in names
    # Only what was asked for is prepared.
    assert client.get(CSV).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory(name="Newer Foundation", slug="newer")
    with django_assert_num_queries(0):
        assert len(_csv(client.get(CSV))) == 4


@frozen_clock
@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_a_burst_of_changes_prepares_the_full_export_once_a_little_later(
    client, organisations, database_tasks, time_machine
):
    run_worker()
    assert client.get(JSON).status_code == 503  # Asked for: the worker prepares it.
    run_worker()
    assert DBTaskResult.objects.count() == 1

    for slug in ("new", "newer", "newest"):
        OrganisationFactory(name=slug.title(), slug=slug)

    assert DBTaskResult.objects.count() == 2  # One for all three changes, not yet due.
    run_worker()
    ready = exports.full_export_name(current_generation(), "json") + exports.READY
    assert not default_storage.exists(ready)
    time_machine.shift(exports.PREPARE_AFTER)
    run_worker()
    assert default_storage.exists(ready)
    response = client.get(JSON)
    assert len(_json(response)["organisations"]) == 5
    assert DBTaskResult.objects.count() == 2  # The download found it ready.


def test_full_export_is_in_the_sites_language_whoever_asks_first(client, organisations):
    organisations.summary_fr = "Une fondation ouverte."
    organisations.save()

    data = _json(client.get(in_language(JSON, "fr")))  # The first to ask reads French.

    [record] = [record for record in data["organisations"] if record["name"] == "Open Foundation"]

    assert record["summary"] == "Works for peace in The Hague."
    assert "/fr/" not in record["url"]


@pytest.fixture
def varied():
    """Organisations with every kind of value a CSV cell can hold."""
    first = NetworkGroupFactory(slug="first", name="Zulu", position=1)
    tied_b = NetworkGroupFactory(slug="tied-b", name="Beta", position=2)
    tied_a = NetworkGroupFactory(slug="tied-a", name="Alpha", position=2)
    themes = [
        Theme.objects.create(name="alpha", slug="alpha"),
        Theme.objects.create(name="Zeta", slug="zeta"),
        Theme.objects.create(name="Émancipation", slug="emancipation"),
        Theme.objects.create(name="=SUM(A1)", slug="sum"),
        Theme.objects.create(name="Peace", name_en="Peace", name_nl="Vrede", slug="peace"),
    ]
    tricky = OrganisationFactory(
        name='Quotes "and", commas',
        short_name="\tTab",
        summary="Line one\nline two",
        summary_fr="Résumé",
        description="Carriage\rreturn",
        description_nl="Beschrijving",
        website="https://example.org/a,b",
        email="+plus@example.org",
        email_visibility="public",
        phone="=1+1",
        phone_visibility="public",
        address="@home",
        postcode="-2511",
        address_visibility="public",
        city="Den Haag",
        founded=2001,
        countries=["SO", "NL", "CD"],
        focus_regions="+Horn of Africa",
        last_confirmed=datetime.date(2026, 1, 31),
        themes=themes,
    )
    tricky.network_groups.add(tied_a, tied_b, first)
    hidden = OrganisationFactory(
        name="Hidden details",
        email="hidden@example.org",
        email_visibility="members",
        phone="070",
        phone_visibility="admins",
        address="Hidden 1",
        postcode="1234 AB",
        address_visibility="members",
    )
    OrganisationFactory(name="Empty", short_name="", summary="", description="", city="")
    OrganisationFactory(name="Not shown", status="pending", themes=themes[:1])
    return tricky, hidden


def _lines(text):
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.postgres
def test_full_csv_written_by_postgresql_reads_as_the_csv_writer_writes_it(varied):
    organisations = Organisation.objects.published().order_by("name", "pk")

    written = exports.full_export_content("csv", organisations).decode()
    by_python = "".join(exports.csv_chunks(exports.records(organisations)))

    assert _lines(written) == _lines(by_python)
    assert len(_lines(written)) == 1 + 3
    tricky = dict(zip(exports.EXPORT_FIELDS, _lines(written)[3], strict=True))
    assert tricky["themes"] == "'=SUM(A1);Peace;Zeta;alpha;Émancipation"
    assert tricky["network_groups"] == "first;tied-a;tied-b"
    assert tricky["description"] == "Carriage\rreturn"


@pytest.mark.postgres
def test_full_csv_on_postgresql_reads_no_records_in_python(varied, monkeypatch):
    monkeypatch.setattr(exports, "records", None)  # Calling it would fail.

    written = exports.full_export_content(
        "csv", Organisation.objects.published().order_by("name", "pk")
    )

    assert written.startswith(b"name,short_name,kind,")
    assert written.count(b"\n") == 1 + 3 + 1  # And the one inside a quoted summary.
    assert b"\r\n" not in written


@pytest.mark.postgres
def test_full_csv_on_postgresql_is_in_the_readers_language(varied):
    with translation.override("nl"):
        written = exports.full_export_content(
            "csv", Organisation.objects.published().order_by("name", "pk")
        ).decode()
        by_python = "".join(
            exports.csv_chunks(
                exports.records(Organisation.objects.published().order_by("name", "pk"))
            )
        )

    assert _lines(written) == _lines(by_python)
    assert "/nl/" in _lines(written)[1][-1]
    assert "Vrede" in _lines(written)[3][exports.THEMES]
