import json

from django.core.management.base import BaseCommand, CommandError

from peacenet.backups import BackupError, content_fingerprint


class Command(BaseCommand):
    help = (
        "Print the site's content fingerprint as JSON: a hash of every table's rows, every "
        "sequence and every media file. Two sites with the same fingerprint hold the same "
        "content."
    )

    def handle(self, **options):
        try:
            fingerprint = content_fingerprint()
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(fingerprint, indent=1, sort_keys=True))
