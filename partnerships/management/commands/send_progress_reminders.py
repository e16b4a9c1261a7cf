"""Periodic job: ask active partnerships for their progress report.

Every three months after its last report (or after it became active) the lead of an active,
public partnership is mailed a reminder, in each member's language
(``partnerships.services.send_progress_reminders``, the schedule in
``partnerships/reporting.py``). Idempotent: each due date is reminded of once, so running it
twice a day, or a few days late, sends nothing more than running it once on time.

Run it daily from a timer (README, "Periodic jobs").
"""

from django.core.management import BaseCommand

from partnerships import services


class Command(BaseCommand):
    help = "Remind the leads of active partnerships whose progress report is due."

    def handle(self, *args, **options):
        reminded = services.send_progress_reminders()
        if options["verbosity"]:
            self.stdout.write(f"Progress reminders sent for {len(reminded)} partnership(s).")
