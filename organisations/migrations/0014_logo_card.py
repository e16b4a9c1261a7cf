from django.db import migrations, models


def make_logo_cards(apps, schema_editor):
    """The card-size logo of every organisation that already has a logo."""
    from organisations.logos import update_logo_card

    Organisation = apps.get_model("organisations", "Organisation")
    for organisation in Organisation.objects.exclude(logo="").only("pk", "logo", "logo_card"):
        if update_logo_card(organisation):
            Organisation.objects.filter(pk=organisation.pk).update(
                logo_card=organisation.logo_card.name
            )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0013_search_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="logo_card",
            field=models.ImageField(
                blank=True,
                editable=False,
                upload_to="logos/cards/",
                verbose_name="logo at card size",
            ),
        ),
        migrations.RunPython(make_logo_cards, migrations.RunPython.noop),
    ]
