"""Translate the starting vocabulary a site already has (themes, capacities and network
groups by slug, organisations/vocabulary.py) into Dutch, French and Arabic, where staff left
a language empty."""

from django.db import migrations

from organisations import vocabulary


def translate(apps, schema_editor):
    db = schema_editor.connection.alias
    for model, translations in (
        ("Theme", vocabulary.names(vocabulary.THEMES)),
        ("Capacity", vocabulary.names(vocabulary.CAPACITIES)),
        ("NetworkGroup", vocabulary.NETWORK_GROUPS),
    ):
        rows = apps.get_model("organisations", model).objects.using(db)
        vocabulary.translate(rows.filter(slug__in=list(translations)), translations)


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0016_vocabulary_translations"),
    ]

    operations = [
        migrations.RunPython(translate, migrations.RunPython.noop, elidable=False),
    ]
