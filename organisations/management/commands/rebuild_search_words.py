from django.core.management.base import BaseCommand
from django.db import transaction

from organisations import search
from organisations.models import Organisation, SearchWord
from peacenet.lib.caching import content_changed


class Command(BaseCommand):
    help = (
        "Recount the words of the published organisations that misspelt searches are "
        "corrected to, dropping words no published organisation uses any more. Idempotent."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        count = search.rebuild_words(Organisation.objects.all(), SearchWord)
        content_changed()  # The vocabulary is read once per content generation.
        self.stdout.write(f"{count:,} search words.")
