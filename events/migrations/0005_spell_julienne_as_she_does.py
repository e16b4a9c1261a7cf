"""Tosangana's founder writes her name Juliënne; sites loaded with the earlier demo data had
"Juliènne" in her organisation's description and in the 2016 seminar's speakers."""

from django.db import migrations

WRONG, RIGHT = "Juliènne Doppenberg", "Juliënne Doppenberg"


def respell(apps, schema_editor):
    Speaker = apps.get_model("events", "Speaker")
    Organisation = apps.get_model("organisations", "Organisation")
    for speaker in Speaker.objects.filter(name__contains=WRONG):
        speaker.name = speaker.name.replace(WRONG, RIGHT)
        speaker.save(update_fields=["name"])
    for organisation in Organisation.objects.filter(description__contains=WRONG):
        organisation.description = organisation.description.replace(WRONG, RIGHT)
        organisation.save(update_fields=["description"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_event_published_at"),
        ("organisations", "0015_themes"),
    ]

    operations = [migrations.RunPython(respell, migrations.RunPython.noop)]
