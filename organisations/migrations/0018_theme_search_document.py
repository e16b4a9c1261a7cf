"""A theme's names as a stored, generated ``search_document`` on PostgreSQL (other databases
skip it): a search matches the themes' names with the query (organisations/search.py,
``theme_document_sql``) and analysed all of them twice per statement before.

Note for later migrations: PostgreSQL refuses to change the type of a column that the
generated column reads (``name_en``, ``name_nl``, ``name_fr``, ``name_ar``); drop and
re-create the column around such a change.
"""

from django.db import migrations

from organisations import search

TABLE = "organisations_theme"
# The names the document reads, as this migration made it (search.THEME_NAMES today).
NAMES = {"en": "english", "nl": "dutch", "fr": "french", "ar": "simple"}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD COLUMN {search.DOCUMENT_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({search.theme_document_sql(NAMES)}) STORED"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {search.DOCUMENT_COLUMN}"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0017_translate_vocabulary"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
