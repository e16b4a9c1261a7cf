"""A backup of a filled site restores into fresh engines with exactly the same content."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from events.models import Registration
from organisations.models import Membership, Organisation, Theme
from partnerships.models import Participant
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import MembershipFactory, NetworkGroupFactory, OrganisationFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory
from tests.stack.test_stack import png

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[2]


def fill_the_site(unique):
    """Organisations with logos, themes and groups, members, history, a proposal with its
    partners, an event with places taken: what each table must keep."""
    group = NetworkGroupFactory(name=f"Backup Group {unique}", slug=f"backup-{unique}")
    organisations = []
    for number, colour in enumerate(["red", "green", "blue"]):
        organisation = OrganisationFactory(
            name=f"Backup {number} {unique}",
            slug=f"backup-{number}-{unique}",
            logo=ContentFile(png(colour), name="logo.png"),
        )
        organisation.themes.set(["mediation", f"theme-{unique}-{number}"])
        organisation.network_groups.add(group)
        MembershipFactory(organisation=organisation)
        organisations.append(organisation)
    organisations[1].summary = "Changed once, so history has two versions."
    organisations[1].save()
    proposal = ProposalFactory(lead_participant=organisations[0], themes=["dialogue"])
    ParticipantFactory(proposal=proposal, organisation=organisations[2])
    event = EventFactory(organiser=organisations[0])
    RegistrationFactory(event=event)
    return organisations


def run(*args, env=None):
    return subprocess.run(
        [*args], cwd=ROOT, env=env or os.environ, capture_output=True, text=True, timeout=300
    )


def fresh_engines(unique):
    """An empty database on the stack's PostgreSQL and an empty bucket on its S3 store."""
    database, bucket = f"restored_{unique}", f"restored-{unique}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {database}")
    options = settings.STORAGES["default"]["OPTIONS"]
    boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
    ).create_bucket(Bucket=bucket)
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{database}"
    return {**os.environ, "DATABASE_URL": url, "S3_BUCKET": bucket}


def test_backup_restores_into_fresh_engines_with_identical_content(tmp_path, unique):
    organisations = fill_the_site(unique)
    folder = tmp_path / "backup"

    backed_up = run("scripts/backup", str(folder))

    assert backed_up.returncode == 0, backed_up.stderr
    manifest = json.loads((folder / "manifest.json").read_text())
    fingerprint = manifest["fingerprint"]
    tables = fingerprint["database"]["tables"]
    # The fingerprint covers what was filled: tag links, history, memberships, partners,
    # places, and every logo by its content.
    for model, query in [
        (Organisation.themes.through, Organisation.themes.through.objects.all()),
        (Theme, Theme.objects.all()),
        (Organisation.history.model, Organisation.history.all()),
        (Organisation.network_groups.through, Organisation.network_groups.through.objects.all()),
        (Membership, Membership.objects.all()),
        (Participant, Participant.objects.all()),
        (Registration, Registration.objects.all()),
    ]:
        assert tables[model._meta.db_table][0] == query.count() > 0, model
    for organisation, colour in zip(organisations, ["red", "green", "blue"], strict=True):
        expected = hashlib.sha256(png(colour)).hexdigest()
        assert fingerprint["media"][organisation.logo.name] == expected

    fresh = fresh_engines(unique)
    restored = run("scripts/restore", str(folder), env=fresh)
    after = run(sys.executable, "manage.py", "content_fingerprint", env=fresh)
    again = run("scripts/restore", str(folder), env=fresh)

    assert restored.returncode == 0, restored.stderr
    assert "the content matches the backup" in restored.stdout
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == fingerprint
    # A restore never mixes into a site that has content.
    assert again.returncode != 0
    assert "is not empty" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path, unique):
    OrganisationFactory(slug=f"damaged-{unique}", logo=ContentFile(png("olive"), name="l.png"))
    folder = tmp_path / "backup"
    assert run("scripts/backup", str(folder)).returncode == 0
    # An uploaded logo (card-size renditions sit in a folder beside them).
    logo = min(path for path in (folder / "media" / "logos").iterdir() if path.is_file())
    logo.write_bytes(b"not the logo any more")
    fresh = fresh_engines(unique)

    refused = run("scripts/restore", str(folder), env=fresh)
    fingerprint = run(sys.executable, "manage.py", "content_fingerprint", env=fresh)

    assert refused.returncode != 0
    assert f"media/logos/{logo.name} does not match its hash in the manifest" in refused.stderr
    assert json.loads(fingerprint.stdout) == {
        "database": {"sequences": {}, "tables": {}},
        "media": {},
    }
