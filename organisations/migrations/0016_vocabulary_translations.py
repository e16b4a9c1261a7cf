"""Themes become PeaceNet's own vocabulary (``Theme``, taggit's custom tag model, with
``ThemedItem`` links and ``ThemeSuggestion``s for staff), and the vocabulary, capacities,
network groups and organisations' summaries and descriptions are kept per language
(django-modeltranslation's columns). Existing names and texts become the English ones; the
taggit tags of organisations and proposals move to themes with the same name and slug. On
PostgreSQL the search document is made again to index each language.
"""

from django.db.models import F

from organisations import search

import django.db.models.deletion
import django.db.models.functions.text
import taggit.managers
from django.conf import settings
from django.db import migrations, models


TABLE = "organisations_organisation"

# The search document this migration makes (organisations.search.DOCUMENT today).
ENGLISH_AND_DUTCH = {
    "A": ("name", "short_name"),
    "B": ("summary_en", "summary_nl", "focus_regions"),
    "C": ("description_en", "description_nl", "offers_detail", "needs_detail"),
}
DOCUMENT = {
    "english": ENGLISH_AND_DUTCH,
    "dutch": ENGLISH_AND_DUTCH,
    "french": {"B": ("summary_fr",), "C": ("description_fr",)},
    "simple": {"B": ("summary_ar",), "C": ("description_ar",)},
}
# The document migration 0005 made.
DOCUMENT_0005 = {
    config: {
        "A": ("name", "short_name"),
        "B": ("summary", "focus_regions"),
        "C": ("description", "offers_detail", "needs_detail"),
    }
    for config in ("english", "dutch")
}


def drop_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        search.drop_postgresql_objects(schema_editor, TABLE)


def document_0005(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        search.create_postgresql_objects(schema_editor, TABLE, DOCUMENT_0005)


def document_per_language(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        search.create_postgresql_objects(schema_editor, TABLE, DOCUMENT)


def texts_in_english(apps, schema_editor):
    """Today's names and texts are English: they become the English columns."""
    db = schema_editor.connection.alias
    apps.get_model("organisations", "Capacity").objects.using(db).update(name_en=F("name"))
    apps.get_model("organisations", "NetworkGroup").objects.using(db).update(
        name_en=F("name"), tagline_en=F("tagline"), description_en=F("description")
    )
    for model in ("Organisation", "HistoricalOrganisation"):
        apps.get_model("organisations", model).objects.using(db).update(
            summary_en=F("summary"), description_en=F("description")
        )


def _content_types(apps, db):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.using(db).filter(
        app_label__in=["organisations", "partnerships"],
        model__in=["organisation", "partnershipproposal"],
    )


def tags_to_themes(apps, schema_editor):
    """Each taggit tag that organisations or proposals use becomes a theme of the same name
    and slug, and their tag links become theme links."""
    db = schema_editor.connection.alias
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    Theme = apps.get_model("organisations", "Theme")
    ThemedItem = apps.get_model("organisations", "ThemedItem")
    links = TaggedItem.objects.using(db).filter(content_type__in=_content_types(apps, db))
    themes = {}
    for tag in Tag.objects.using(db).filter(pk__in=links.values("tag_id")).order_by("pk"):
        themes[tag.pk] = Theme.objects.using(db).create(
            name=tag.name, name_en=tag.name, slug=tag.slug
        )
    ThemedItem.objects.using(db).bulk_create(
        [
            ThemedItem(
                tag=themes[link.tag_id], content_type_id=link.content_type_id, object_id=link.object_id
            )
            for link in links
        ]
    )
    links.delete()


def themes_to_tags(apps, schema_editor):
    db = schema_editor.connection.alias
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ThemedItem = apps.get_model("organisations", "ThemedItem")
    for link in ThemedItem.objects.using(db).select_related("tag"):
        tag, _created = Tag.objects.using(db).get_or_create(
            slug=link.tag.slug, defaults={"name": link.tag.name_en or link.tag.name}
        )
        TaggedItem.objects.using(db).get_or_create(
            tag=tag, content_type_id=link.content_type_id, object_id=link.object_id
        )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('organisations', '0015_themes'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_document, document_0005, elidable=False),
        migrations.DeleteModel(
            name='Theme',
        ),
        migrations.AddField(
            model_name='capacity',
            name='name_ar',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='capacity',
            name='name_en',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='capacity',
            name='name_fr',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='capacity',
            name='name_nl',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('nl', 'Dutch'), ('fr', 'French'), ('ar', 'Arabic')], default='en', max_length=2, verbose_name='language of the summary and description'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='description_ar',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='description_fr',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='description_nl',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='name_ar',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='name_en',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='name_fr',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='name_nl',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='tagline_ar',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='tagline'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='tagline_en',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='tagline'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='tagline_fr',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='tagline'),
        ),
        migrations.AddField(
            model_name='networkgroup',
            name='tagline_nl',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='tagline'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='description_ar',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='description_fr',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='description_nl',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('nl', 'Dutch'), ('fr', 'French'), ('ar', 'Arabic')], default='en', max_length=2, verbose_name='language of the summary and description'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='summary_ar',
            field=models.CharField(help_text='One line on what the organisation does.', max_length=250, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='summary_en',
            field=models.CharField(help_text='One line on what the organisation does.', max_length=250, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='summary_fr',
            field=models.CharField(help_text='One line on what the organisation does.', max_length=250, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='summary_nl',
            field=models.CharField(help_text='One line on what the organisation does.', max_length=250, null=True, verbose_name='summary'),
        ),
        migrations.CreateModel(
            name='Theme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('name_en', models.CharField(max_length=100, null=True, unique=True, verbose_name='name')),
                ('name_nl', models.CharField(max_length=100, null=True, unique=True, verbose_name='name')),
                ('name_fr', models.CharField(max_length=100, null=True, unique=True, verbose_name='name')),
                ('name_ar', models.CharField(max_length=100, null=True, unique=True, verbose_name='name')),
                ('slug', models.SlugField(allow_unicode=True, max_length=100, unique=True, verbose_name='slug')),
            ],
            options={
                'verbose_name': 'theme',
                'verbose_name_plural': 'themes',
            },
        ),
        migrations.CreateModel(
            name='ThemeSuggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='suggested theme')),
                ('object_id', models.PositiveIntegerField(verbose_name='entry')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='suggested')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype', verbose_name='kind of entry')),
                ('suggested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='suggested by')),
            ],
            options={
                'verbose_name': 'suggested theme',
                'verbose_name_plural': 'suggested themes',
                'ordering': ['name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ThemedItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.IntegerField(db_index=True, verbose_name='object ID')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_tagged_items', to='contenttypes.contenttype', verbose_name='content type')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='organisations.theme', verbose_name='theme')),
            ],
            options={
                'verbose_name': 'theme',
                'verbose_name_plural': 'themes',
            },
        ),
        migrations.AlterField(
            model_name='organisation',
            name='themes',
            field=taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='organisations.ThemedItem', to='organisations.Theme', verbose_name='themes'),
        ),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.CheckConstraint(condition=models.Q(('language__in', ['en', 'nl', 'fr', 'ar'])), name='organisation_language_valid'),
        ),
        migrations.AddConstraint(
            model_name='themesuggestion',
            constraint=models.UniqueConstraint(models.F('content_type'), models.F('object_id'), django.db.models.functions.text.Lower('name'), name='themesuggestion_once_per_row'),
        ),
        migrations.AddIndex(
            model_name='themeditem',
            index=models.Index(fields=['content_type', 'object_id'], name='themeditem_row_idx'),
        ),
        migrations.AddConstraint(
            model_name='themeditem',
            constraint=models.UniqueConstraint(fields=('content_type', 'object_id', 'tag'), name='themeditem_once_per_row'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='description_ar',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='description_fr',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='description_nl',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='summary_ar',
            field=models.CharField(help_text='One line on what the organisation does.', max_length=250, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='summary_en',
            field=models.CharField(help_text='One line on what the organisation does.', max_length=250, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='summary_fr',
            field=models.CharField(help_text='One line on what the organisation does.', max_length=250, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='summary_nl',
            field=models.CharField(help_text='One line on what the organisation does.', max_length=250, null=True, verbose_name='summary'),
        ),
    
        migrations.RunPython(texts_in_english, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(tags_to_themes, themes_to_tags, elidable=False),
        migrations.RunPython(document_per_language, drop_document, elidable=False),
    ]
