from django.core.management.base import BaseCommand
from django.db import transaction

from peacenet.demo import organisations


class Command(BaseCommand):
    help = (
        "Load PeaceNet's demo data (organisations, network groups, the 2016 seminar) once; "
        "running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        loaded = organisations.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(loaded)} organisations."))
