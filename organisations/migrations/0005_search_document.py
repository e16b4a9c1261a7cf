"""PostgreSQL search objects: pg_trgm, the generated ``search_document`` column and its GIN
index, and a trigram index on names (see organisations/search.py). Other databases skip it.

Note for later migrations: PostgreSQL refuses to change the type of a column that the
generated column reads (name, short_name, summary, focus_regions, description, offers_detail,
needs_detail); drop and re-create the column around such a change.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from organisations import search

TABLE = "organisations_organisation"
# The document as this migration made it (migration 0016 makes it per language).
DOCUMENT = {
    config: {
        "A": ("name", "short_name"),
        "B": ("summary", "focus_regions"),
        "C": ("description", "offers_detail", "needs_detail"),
    }
    for config in ("english", "dutch")
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        search.create_postgresql_objects(schema_editor, TABLE, DOCUMENT)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        search.drop_postgresql_objects(schema_editor, TABLE)


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0004_organisation_status_name_idx"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
