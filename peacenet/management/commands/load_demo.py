from django.core.management.base import BaseCommand
from django.db import transaction

from peacenet.demo import events, groups, organisations, partnerships


class Command(BaseCommand):
    help = (
        "Load PeaceNet's demo data (organisations, network groups, the 2016 seminar) once; "
        "running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        loaded = organisations.load()
        groups.load()
        loaded_events = events.load()
        loaded_proposals = partnerships.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {len(loaded)} organisations, {len(loaded_events)} events, "
                f"{len(loaded_proposals)} partnerships."
            )
        )
