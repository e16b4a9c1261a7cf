"""Create many realistic, clearly synthetic organisations fast, for benchmarks.

    manage.py create_synthetic_organisations 100000

Rows go in with ``bulk_create`` in batches (organisations, their themes and network groups),
without history records. Every name ends in "(synthetic <n>)" and every slug starts with
``synthetic-``, so they are easy to recognise and to delete
(``Organisation.objects.filter(slug__startswith="synthetic-").delete()``). On PostgreSQL the
command ends with ``VACUUM ANALYZE`` so the planner knows the new table sizes.
"""

import random
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from organisations.models import NetworkGroup, Organisation
from peacenet.caching import content_changed

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


class Command(BaseCommand):
    help = "Create N synthetic organisations with bulk inserts (for benchmarks)."

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
        tags = {name: Tag.objects.get_or_create(name=name)[0] for name in THEMES}
        groups = {group.slug: group for group in NetworkGroup.objects.all()}
        content_type = ContentType.objects.get_for_model(Organisation)
        through = Organisation.network_groups.through
        created = 0
        for start in range(first, first + count, BATCH):
            numbers = range(start, min(start + BATCH, first + count))
            rows = [self.organisation(rng, n, published_share) for n in numbers]
            with transaction.atomic():
                organisations = Organisation.objects.bulk_create(row for row, _ in rows)
                tagged, memberships = [], []
                for organisation, (_, themes) in zip(organisations, rows, strict=True):
                    for theme in themes:
                        tagged.append(
                            TaggedItem(
                                content_type=content_type,
                                object_id=organisation.pk,
                                tag=tags[theme],
                            )
                        )
                        group = groups.get(GROUP_BY_THEME.get(theme))
                        if group:
                            memberships.append(
                                through(organisation_id=organisation.pk, networkgroup_id=group.pk)
                            )
                TaggedItem.objects.bulk_create(tagged, batch_size=BATCH)
                through.objects.bulk_create(memberships, batch_size=BATCH)
            created += len(organisations)
            self.stdout.write(f"{created:,} of {count:,} created", ending="\r")
            self.stdout.flush()
        self.stdout.write("")
        content_changed()  # bulk_create sends no signals.
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            self.stdout.write("Inside a transaction: run VACUUM ANALYZE yourself afterwards.")
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in (
                    Organisation._meta.db_table,
                    TaggedItem._meta.db_table,
                    through._meta.db_table,
                ):
                    cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created:,} synthetic organisations in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

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
        organisation = Organisation(
            name=name,
            slug=f"synthetic-{number}-{slugify(f'{community} {focus} {form}')}",
            short_name=f"{community[:3]}{focus[:2]}{number}".upper()[:50],
            kind=kind,
            summary=f"{community} {form.lower()} that {activities[0]} in {city}.",
            description=(
                f"A synthetic {kind.label.lower()} for benchmarks. It {activities[0]}, "
                f"{activities[1]} and {activities[2]}. Its work focuses on "
                f"{', '.join(theme.lower() for theme in themes)}."
            ),
            city=city,
            countries=countries,
            focus_regions=f"{community} community in the Netherlands",
            status=(
                Organisation.Status.PUBLISHED
                if rng.random() < published_share
                else Organisation.Status.PENDING
            ),
        )
        return organisation, themes
