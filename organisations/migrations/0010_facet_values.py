"""Store each organisation's facet values on its row (see organisations/facet_values.py):
the column, a GIN index on PostgreSQL, and the values of the organisations already there."""

from django.db import migrations

import organisations.facet_values

INDEX = "organisation_facet_values_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON organisations_organisation USING gin (facet_values)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def fill(apps, schema_editor):
    from organisations.facets import refresh_facet_values
    from organisations.models import Organisation

    # The current models: the values are made from their relations (themes, groups).
    ids = list(Organisation.objects.using(schema_editor.connection.alias).values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        refresh_facet_values(ids[start : start + 2000])


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0009_canonical_cities"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="facet_values",
            field=organisations.facet_values.FacetValuesField(verbose_name="facet values"),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
