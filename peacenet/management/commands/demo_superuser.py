import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_EMAIL = "admin@peacenet.local"


class Command(BaseCommand):
    help = "Create a demo superuser for local use and print its password (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create a demo superuser with DEBUG off. "
                "Use 'manage.py createsuperuser' to create a real administrator."
            )
        User = get_user_model()
        if User.objects.filter(email__iexact=DEMO_EMAIL).exists():
            self.stdout.write(
                f"Admin: sign in at http://127.0.0.1:8000/admin/ as {DEMO_EMAIL} with the "
                "password printed on first run (reset it with "
                f"'manage.py changepassword {DEMO_EMAIL}')."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(email=DEMO_EMAIL, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: sign in at http://127.0.0.1:8000/admin/ as {DEMO_EMAIL} "
                f"with password {password}"
            )
        )
