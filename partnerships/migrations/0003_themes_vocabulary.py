"""Proposals' themes come from the vocabulary (organisations.Theme); migration 0016 of
organisations moved their tags."""

import taggit.managers
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0016_vocabulary_translations'),
        ('partnerships', '0002_deliverables_reporting_deadlines'),
    ]

    operations = [
        migrations.AlterField(
            model_name='partnershipproposal',
            name='themes',
            field=taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='organisations.ThemedItem', to='organisations.Theme', verbose_name='themes'),
        ),
    ]
