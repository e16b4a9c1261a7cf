"""Backups with the uploaded media in MEDIA_ROOT, on PostgreSQL. (The S3 mode, and a damaged
backup, are proven against real engines by tests/stack/test_backup.py.)"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from peacenet import backups
from tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
LOGO = b"\x89PNG\r\n\x1a\n a logo's bytes"


def test_backups_need_postgresql(db, tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")

    with pytest.raises(backups.BackupError, match="Backups need PostgreSQL"):
        backups.backup(tmp_path / "backup")
    assert not (tmp_path / "backup").exists()


def database_url(name):
    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}{port}/{name}"


@pytest.fixture
def empty_database():
    name = connection.settings_dict["NAME"] + "_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    yield database_url(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_media_root_backup_restores_into_an_empty_database_and_folder(
    tmp_path, settings, empty_database
):
    organisation = OrganisationFactory(logo=ContentFile(LOGO, name="logo.png"))
    organisation.themes.set(["mediation", "youth"])

    manifest = backups.backup(tmp_path / "backup")
    restored_media = tmp_path / "restored-media"
    env = {"DATABASE_URL": empty_database, "MEDIA_ROOT": str(restored_media)}
    restored = manage("restore", str(tmp_path / "backup"), env=env)
    fingerprint = manage("content_fingerprint", env=env)

    assert manifest["fingerprint"]["media"] == {
        organisation.logo.name: hashlib.sha256(LOGO).hexdigest()
    }
    themed = manifest["fingerprint"]["database"]["tables"]["organisations_themeditem"]
    assert themed[0] == 2
    assert restored.returncode == 0, restored.stderr
    assert json.loads(fingerprint.stdout) == manifest["fingerprint"]
    assert (restored_media / organisation.logo.name).read_bytes() == LOGO
    # A second restore into what is now a filled site is refused.
    again = manage("restore", str(tmp_path / "backup"), env=env)
    assert again.returncode != 0
    assert "is not empty" in again.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "older.dump").write_bytes(b"yesterday")

    with pytest.raises(backups.BackupError, match="is not empty"):
        backups.backup(folder)
    assert [path.name for path in folder.iterdir()] == ["older.dump"]
