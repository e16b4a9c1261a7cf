"""Store every organisation's city in its canonical form ("Den Haag" becomes "The Hague")."""

from django.db import migrations

from organisations.cities import canonical_city


def canonicalise_cities(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    cities = Organisation.objects.values_list("city", flat=True).distinct()
    for city in list(cities):
        canonical = canonical_city(city)
        if canonical != city:
            Organisation.objects.filter(city=city).update(city=canonical)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0008_contact_via_staff")]

    operations = [migrations.RunPython(canonicalise_cities, migrations.RunPython.noop)]
