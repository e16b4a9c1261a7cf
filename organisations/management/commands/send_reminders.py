"""Periodic job: ask owners and editors to confirm their organisation's details.

Each published organisation that has gone 12, 13 or 14 months without being confirmed (or,
never confirmed, since it was published) gets one reminder per stage, mailed to each owner
and editor with a one-click confirmation link of their own (``organisations.services
.send_reminders``). Idempotent: what was sent is recorded (``ConfirmationReminder``), so a
second run the same day, or a late one, sends nothing new.

Run it daily from a timer (README, "Periodic jobs").
"""

from django.core.management import BaseCommand

from organisations import services


class Command(BaseCommand):
    help = "Mail confirmation reminders to organisations not confirmed for 12, 13 or 14 months."

    def handle(self, *args, **options):
        reminded = services.send_reminders()
        if options["verbosity"]:
            self.stdout.write(f"Reminders sent for {reminded} organisation(s).")
