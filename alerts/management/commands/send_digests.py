"""Periodic job: mail each person who follows something a digest of what changed in it.

A person's digest is due a day or a week (their choice on "My alerts"; weekly by default,
or never) after the end of the window the last one covered. Each digest covers the window
since the last one; with nothing to report no mail goes out, and the window is covered all
the same. Idempotent: running it twice, or late, mails nobody twice about the same window.

Run it daily from a timer (README, "Periodic jobs").
"""

from django.core.management import BaseCommand

from alerts.services import send_digests


class Command(BaseCommand):
    help = "Mail the digests that are due to people who follow something."

    def handle(self, *args, **options):
        sent = send_digests()
        if options["verbosity"]:
            self.stdout.write(f"Digests sent: {sent}")
