"""Backups of a PeaceNet site: the PostgreSQL database and the uploaded media, proven by content.

A backup folder holds ``database.dump`` (``pg_dump`` custom format), ``media/`` (every file of
the media storage, local folder or S3 bucket alike) and ``manifest.json``: the SHA-256 of
each of those files, and the site's content fingerprint taken in the very snapshot that
``pg_dump`` saved. A restore checks the files against the manifest, loads them into an empty
database and storage, and succeeds only if the restored content has the same fingerprint.

The fingerprint is one hash per table (every row, tag links and history included, in a
stable order) and per sequence, and one per media file: two sites with the same fingerprint
hold the same content. (``dumpdata``/``loaddata`` is not used: it can silently lose rows.)
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def cache_tables():
    """Database cache tables: rebuilt by ``createcachetable``, neither saved nor compared."""
    return sorted(
        alias["LOCATION"]
        for alias in settings.CACHES.values()
        if alias["BACKEND"].endswith("DatabaseCache")
    )


def _require_postgresql():
    if connection.vendor != "postgresql":
        raise BackupError(
            "Backups need PostgreSQL (DATABASE_URL); a local SQLite database is one file: "
            "copy it while the site is stopped."
        )


def _pg_environment():
    """libpq's variables for the default database, for pg_dump and pg_restore."""
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
        else:
            env.pop(variable, None)
    return env


def _tool(name):
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return path


def sha256_of(path_or_file):
    digest = hashlib.sha256()
    with open(path_or_file, "rb") if isinstance(path_or_file, str | Path) else path_or_file as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# The content fingerprint -------------------------------------------------------------------


def _tables(cursor):
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
    )
    skip = set(cache_tables())
    return [name for (name,) in cursor.fetchall() if name not in skip]


def database_fingerprint():
    """``{"tables": {name: [rows, sha256]}, "sequences": {name: last_value}}`` for every
    table and sequence of the current schema (cache tables left out)."""
    tables, sequences = {}, {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables(cursor):
            # Each row as PostgreSQL prints it, sorted: independent of the physical order.
            rows = "fingerprint_row::text"
            cursor.execute(
                f"SELECT count(*), encode(sha256(convert_to(coalesce(string_agg({rows}, "  # noqa: S608
                f"E'\\n' ORDER BY {rows}), ''), 'UTF8')), 'hex') "
                f"FROM {quote(table)} fingerprint_row"
            )
            count, digest = cursor.fetchone()
            tables[table] = [count, digest]
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences "
            "WHERE schemaname = current_schema() ORDER BY 1"
        )
        sequences = dict(cursor.fetchall())
    return {"tables": tables, "sequences": sequences}


def media_files(storage=default_storage, folder=""):
    """Every file's name in ``storage`` (local folder or bucket alike), sorted."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a MEDIA_ROOT that nothing was uploaded to yet
        return []
    names = [f"{folder}{name}" for name in files]
    for directory in directories:
        names += media_files(storage, f"{folder}{directory}/")
    return sorted(names)


def media_fingerprint(storage=default_storage):
    fingerprint = {}
    for name in media_files(storage):
        with storage.open(name, "rb") as f:
            fingerprint[name] = sha256_of(f)
    return fingerprint


def content_fingerprint():
    _require_postgresql()
    return {"database": database_fingerprint(), "media": media_fingerprint()}


def differences(expected, actual):
    """Human-readable lines for what differs between two content fingerprints."""
    lines = []
    for section in ("tables", "sequences"):
        want, got = expected["database"][section], actual["database"][section]
        for name in sorted(set(want) | set(got)):
            if want.get(name) != got.get(name):
                lines.append(
                    f"{section[:-1]} {name}: expected {want.get(name)}, got {got.get(name)}"
                )
    want, got = expected["media"], actual["media"]
    for name in sorted(set(want) | set(got)):
        if want.get(name) != got.get(name):
            lines.append(f"media file {name}: expected {want.get(name)}, got {got.get(name)}")
    return lines


# Backup ----------------------------------------------------------------------------------


def backup(folder: Path) -> dict:
    """Write a backup of the site into ``folder`` (new or empty) and return its manifest."""
    _require_postgresql()
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder.")
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / DUMP
    with transaction.atomic(), connection.cursor() as cursor:
        # One snapshot for the dump and the fingerprint, while the site goes on working.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        command = [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={dump}",
            *(f"--exclude-table-data={table}" for table in cache_tables()),
        ]
        # The command is pg_dump with our own arguments, no user input.
        result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        database = database_fingerprint()
    media = {}
    for name in media_files():
        target = folder / MEDIA / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
            shutil.copyfileobj(source, copy)
        media[name] = sha256_of(target)
    manifest = {
        "format": FORMAT,
        "files": {DUMP: sha256_of(dump), **{f"{MEDIA}/{n}": h for n, h in media.items()}},
        "fingerprint": {"database": database, "media": media},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


# Restore ---------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    """The folder's manifest, after checking every file it lists against its hash."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} holds no readable {MANIFEST}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder / MANIFEST} is not a PeaceNet backup manifest.")
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"The backup lacks {name}.")
        if sha256_of(path) != expected:
            raise BackupError(f"{name} does not match its hash in the manifest: it is damaged.")
    return manifest


def restore(folder: Path) -> dict:
    """Restore the backup in ``folder`` into the empty database and media storage."""
    _require_postgresql()
    folder = Path(folder)
    manifest = read_manifest(folder)
    with connection.cursor() as cursor:
        if _tables(cursor):
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} is not empty: "
                "restore into a new, empty database."
            )
    if media_files():
        raise BackupError("The media storage is not empty: restore into an empty one.")
    result = subprocess.run(  # noqa: S603 - pg_restore with our own arguments
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(folder / DUMP),
        ],
        env=_pg_environment(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    for name in manifest["fingerprint"]["media"]:
        with open(folder / MEDIA / name, "rb") as source:
            saved = default_storage.save(name, File(source))
        if saved != name:
            raise BackupError(f"The media storage stored {name} as {saved}.")
    connection.close()  # see the restored tables and sequences afresh
    restored = content_fingerprint()
    if problems := differences(manifest["fingerprint"], restored):
        raise BackupError("The restored content differs from the backup:\n" + "\n".join(problems))
    return restored
