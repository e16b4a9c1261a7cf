"""On PostgreSQL (other databases skip it), the lexemes of every organisation's and theme's
search document, in a table of their own kept by triggers on both tables: a search leaves
out the readings of its words that no document holds (organisations/search.py,
``LEXEME_TABLE``), which the search index looked up on every statement.

A row inserted adds all its lexemes; a row updated adds them when its document changed. The
triggers run once per statement, over the rows it wrote, so a bulk insert of thousands of
organisations adds their lexemes in one ``INSERT``. Lexemes are never taken out: one that no
document holds any more costs a search only what it cost before.
"""

from django.db import migrations

from organisations import search

TABLE = "organisations_search_lexeme"
DOCUMENTS = ("organisations_organisation", "organisations_theme")

FUNCTION = f"""
CREATE FUNCTION organisations_keep_lexemes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {TABLE} (lexeme)
        SELECT DISTINCT unnest(tsvector_to_array(search_document)) FROM new_rows
        ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO {TABLE} (lexeme)
        SELECT DISTINCT unnest(tsvector_to_array(new_row.search_document))
        FROM new_rows AS new_row JOIN old_rows AS old_row ON old_row.id = new_row.id
        WHERE new_row.search_document IS DISTINCT FROM old_row.search_document
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(f"CREATE TABLE {TABLE} (lexeme text PRIMARY KEY)")
    execute(FUNCTION)
    for table in DOCUMENTS:
        execute(
            f"CREATE TRIGGER {table}_lexemes_inserted AFTER INSERT ON {table} "
            "REFERENCING NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION organisations_keep_lexemes()"
        )
        execute(
            f"CREATE TRIGGER {table}_lexemes_updated AFTER UPDATE ON {table} "
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION organisations_keep_lexemes()"
        )
        search.add_lexemes(execute, table)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in DOCUMENTS:
        for event in ("inserted", "updated"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_lexemes_{event} ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS organisations_keep_lexemes()")
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0018_theme_search_document"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
