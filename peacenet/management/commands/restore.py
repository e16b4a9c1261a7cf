from django.core.management.base import BaseCommand, CommandError

from peacenet.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into the empty database and media storage, and check that "
        "the restored content has the backup's fingerprint."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by the backup command")

    def handle(self, folder, **options):
        try:
            fingerprint = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {len(fingerprint['database']['tables'])} tables and "
            f"{len(fingerprint['media'])} media files; the content matches the backup."
        )
