from django.core.management.base import BaseCommand, CommandError

from peacenet.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump) and the uploaded media into a new folder, with a "
        "manifest of hashes and the content fingerprint."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a new or empty folder")

    def handle(self, folder, **options):
        try:
            manifest = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        fingerprint = manifest["fingerprint"]
        rows = sum(count for count, _digest in fingerprint["database"]["tables"].values())
        self.stdout.write(
            f"Backed up {len(fingerprint['database']['tables'])} tables ({rows} rows) and "
            f"{len(fingerprint['media'])} media files into {folder}."
        )
