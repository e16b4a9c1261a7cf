"""Periodic job: delete finished task results once they are old enough.

Successful results are kept ``TASK_RESULTS_KEEP_DAYS`` days, failed ones (a mail that could
not be delivered) ``TASK_RESULTS_KEEP_FAILED_DAYS`` days, so staff can still look into them
in the admin. Results still waiting or running are never touched. Idempotent: running it
twice, or late, deletes nothing more than running it once on time.

Run it daily from a timer (README, "Periodic jobs").
"""

from django.conf import settings
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "Delete finished task results older than the configured number of days."

    def handle(self, *args, **options):
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=settings.TASK_RESULTS_KEEP_DAYS,
            failed_min_age_days=settings.TASK_RESULTS_KEEP_FAILED_DAYS,
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )
