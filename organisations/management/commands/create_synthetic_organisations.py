"""Create many realistic, clearly synthetic organisations fast, for benchmarks.

    manage.py create_synthetic_organisations 100000

Every name ends in "(synthetic <n>)" and every slug starts with ``synthetic-``, so they are
easy to recognise and to delete
(``Organisation.objects.filter(slug__startswith="synthetic-").delete()``). No history records
are written.

On PostgreSQL the rows go in with ``COPY`` in one transaction, with the two search indexes
dropped first and built afresh at the end (building a GIN index once is much cheaper than
updating it row by row; searches started meanwhile wait for the transaction); the command
ends with ``VACUUM ANALYZE`` so the planner knows the new table sizes. Other databases get
``bulk_create``.
"""

import random
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify

from organisations import search
from organisations.facet_values import facet_tokens
from organisations.models import NetworkGroup, Organisation, SearchWord, Theme, ThemedItem
from peacenet.lib.caching import content_changed

THEMES = [
    "Gender",
    "Radicalisation",
    "Youth",
    "Human rights",
    "Mediation",
    "Justice",
    "Development",
    "Migration",
    "Media",
    "Research",
]
GROUP_BY_THEME = {"Gender": "gender", "Radicalisation": "radicalisation", "Youth": "youth"}
COMMUNITIES = [
    "Somali", "Eritrean", "Sudanese", "Congolese", "Burundian", "Rwandan", "Afghan", "Syrian",
    "Iraqi", "Kurdish", "Ethiopian", "Ghanaian", "Nigerian", "Colombian", "Moroccan", "Yemeni",
    "South Sudanese", "Ugandan", "Cameroonian", "Libyan", "Palestinian", "Tamil", "Surinamese",
]  # fmt: skip
FOCUSES = [
    "Women", "Youth", "Peace", "Dialogue", "Reconciliation", "Development", "Justice",
    "Human Rights", "Education", "Mediation", "Health", "Media", "Community", "Refugee",
    "Diaspora", "Security", "Democracy", "Solidarity", "Bridge", "Future",
]  # fmt: skip
FORMS = [
    "Foundation", "Network", "Association", "Platform", "Centre", "Initiative", "Collective",
    "Alliance", "Council", "Institute", "Forum", "Union",
]  # fmt: skip
ACTIVITIES = [
    "supports women's groups", "trains young mediators", "documents human rights abuses",
    "runs dialogue meetings between communities", "advises policymakers", "funds local schools",
    "organises peace education", "helps refugees settle in The Hague", "researches violent "
    "extremism", "connects diaspora experts with NGOs", "works on transitional justice",
    "builds the capacity of small organisations", "reports on elections",
    "campaigns for the National Action Plan 1325", "offers trauma counselling",
]  # fmt: skip
CITIES = ["The Hague"] * 6 + ["Rotterdam", "Amsterdam", "Utrecht", "Leiden", "Delft", "Zoetermeer"]
COUNTRIES = [
    "SO", "ER", "SD", "SS", "CD", "BI", "RW", "AF", "SY", "IQ", "ET", "GH", "NG", "CO", "MA",
    "YE", "UG", "CM", "LY", "PS", "LK", "SR", "ML", "KE", "TN", "NL",
]  # fmt: skip
KINDS = (
    [Organisation.Kind.DIASPORA] * 5
    + [Organisation.Kind.NGO] * 4
    + [Organisation.Kind.GOVERNMENT, Organisation.Kind.KNOWLEDGE_INSTITUTE]
    + [Organisation.Kind.INTERNATIONAL]
)
BATCH = 5_000
THROUGH = Organisation.network_groups.through


class Command(BaseCommand):
    help = "Create N synthetic organisations fast (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="how many organisations to create")
        parser.add_argument("--seed", type=int, default=2016, help="random seed (repeatable)")
        parser.add_argument(
            "--published-share",
            type=float,
            default=0.95,
            help="share of organisations that are published (the rest wait for review)",
        )

    def handle(self, *args, count, seed, published_share, **options):
        if count < 1 or count > 5_000_000:
            raise CommandError("Give a count between 1 and 5,000,000.")
        started = time.monotonic()
        rng = random.Random(seed)
        first = Organisation.objects.filter(slug__startswith="synthetic-").count() + 1
        tags = {
            name: Theme.objects.get_or_create(name_en=name, defaults={"name": name})[0]
            for name in THEMES
        }
        groups = {group.slug: group.pk for group in NetworkGroup.objects.all()}
        self.theme_slugs = {name: tag.slug for name, tag in tags.items()}
        self.group_slugs = {
            theme: slug for theme, slug in GROUP_BY_THEME.items() if slug in groups
        }
        tags = {name: tag.pk for name, tag in tags.items()}
        content_type = ContentType.objects.get_for_model(Organisation).pk
        postgresql = connection.vendor == "postgresql"
        insert = self.copy if postgresql else self.bulk_create
        created = 0
        with transaction.atomic(), connection.cursor() as cursor:
            if postgresql:
                search.drop_search_indexes(cursor.execute)
            for start in range(first, first + count, BATCH):
                numbers = range(start, min(start + BATCH, first + count))
                themes_of = []  # Filled while the rows are made, as they are inserted.

                def organisations(numbers=numbers, themes_of=themes_of):
                    for number in numbers:
                        organisation, themes = self.organisation(rng, number, published_share)
                        themes_of.append(themes)
                        yield organisation

                ids = insert(Organisation, organisations(), len(numbers))
                tagged, memberships = [], []
                for pk, themes in zip(ids, themes_of, strict=True):
                    for theme in themes:
                        tagged.append(
                            {
                                "content_type_id": content_type,
                                "object_id": pk,
                                "tag_id": tags[theme],
                            }
                        )
                        if group := groups.get(GROUP_BY_THEME.get(theme)):
                            memberships.append({"organisation_id": pk, "networkgroup_id": group})
                insert(ThemedItem, tagged, len(tagged))
                insert(THROUGH, memberships, len(memberships))
                created += len(ids)
                self.stdout.write(f"{created:,} of {count:,} created", ending="\r")
                self.stdout.flush()
            if postgresql:
                self.stdout.write("\nBuilding the search indexes", ending="")
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Check the keys first.
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                search.create_search_indexes(cursor.execute, Organisation._meta.db_table)
        self.stdout.write("")
        # Neither bulk_create nor COPY saves: recount the words misspelt searches turn to.
        search.rebuild_words(Organisation.objects.all(), SearchWord)
        content_changed()  # Nor do they send signals.
        if postgresql and connection.in_atomic_block:
            self.stdout.write("Inside a transaction: run VACUUM ANALYZE yourself afterwards.")
        elif postgresql:
            with connection.cursor() as cursor:
                for model in (Organisation, ThemedItem, THROUGH):
                    cursor.execute(
                        f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}"
                    )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created:,} synthetic organisations in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

    @staticmethod
    def bulk_create(model, rows, count):
        """Insert ``count`` rows (dicts of field values by attribute name) with the ORM;
        returns the new primary keys."""
        return [obj.pk for obj in model.objects.bulk_create(model(**row) for row in rows)]

    @staticmethod
    def copy(model, rows, count):
        """Insert ``count`` rows (dicts of field values by attribute name, made while they
        stream to PostgreSQL) with ``COPY``; returns the new primary keys, taken from the
        table's sequence first. Each value is prepared as the ORM saves it; fields a row
        leaves out get what the ORM would save for a new instance (defaults, creation
        times)."""
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key and not f.generated]
        new = model()
        defaults = {
            f.attname: f.get_db_prep_save(f.pre_save(new, True), connection) for f in fields
        }
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in [meta.pk, *fields])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row(
                        [
                            pk,
                            *(
                                f.get_db_prep_save(row[f.attname], connection)
                                if f.attname in row
                                else defaults[f.attname]
                                for f in fields
                            ),
                        ]
                    )
        return ids

    def organisation(self, rng, number, published_share):
        community = rng.choice(COMMUNITIES)
        focus = rng.choice(FOCUSES)
        form = rng.choice(FORMS)
        kind = rng.choice(KINDS)
        name = f"{community} {focus} {form} (synthetic {number})"
        activities = rng.sample(ACTIVITIES, 3)
        themes = rng.sample(THEMES, rng.randint(1, 3))
        countries = rng.sample(COUNTRIES, rng.randint(0, 3))
        city = rng.choice(CITIES)
        summary = f"{community} {form.lower()} that {activities[0]} in {city}."
        description = (
            f"A synthetic {kind.label.lower()} for benchmarks. It {activities[0]}, "
            f"{activities[1]} and {activities[2]}. Its work focuses on "
            f"{', '.join(theme.lower() for theme in themes)}."
        )
        organisation = {
            "name": name,
            "slug": f"synthetic-{number}-{slugify(f'{community} {focus} {form}')}",
            "short_name": f"{community[:3]}{focus[:2]}{number}".upper()[:50],
            "kind": kind,
            # In English: the original, the language's own columns and the plain ones.
            "summary": summary,
            "summary_en": summary,
            "description": description,
            "description_en": description,
            "city": city,
            "countries": countries,
            "focus_regions": f"{community} community in the Netherlands",
            "facet_values": facet_tokens(
                kind=kind,
                countries=countries,
                city=city,
                network_groups=[self.group_slugs[t] for t in themes if t in self.group_slugs],
                themes=[self.theme_slugs[theme] for theme in themes],
            ),
            "status": (
                Organisation.Status.PUBLISHED
                if rng.random() < published_share
                else Organisation.Status.PENDING
            ),
        }
        return organisation, themes
