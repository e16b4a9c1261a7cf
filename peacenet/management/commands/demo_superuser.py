import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_EMAIL = "admin@peacenet.local"

MFA_NOTE = (
    "Staff must use two-factor authentication: on the first visit to /admin/ you are asked "
    "to add an authenticator app (any TOTP app, e.g. FreeOTP, Aegis or Google Authenticator) "
    "and then to enter a code from it."
)


class Command(BaseCommand):
    help = "Create a demo superuser for local use and print its password (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create a demo superuser with DEBUG off. "
                "Use 'manage.py createsuperuser' to create a real administrator."
            )
        User = get_user_model()
        user = User.objects.filter(email__iexact=DEMO_EMAIL).first()
        if user is not None:
            self._verify_email(user)
            self.stdout.write(MFA_NOTE)
            self.stdout.write(
                f"Admin: sign in at {settings.SITE_URL}/admin/ as {DEMO_EMAIL} with the "
                "password printed on first run (reset it with "
                f"'manage.py changepassword {DEMO_EMAIL}')."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(email=DEMO_EMAIL, password=password)
        self._verify_email(user)
        self.stdout.write(MFA_NOTE)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: sign in at {settings.SITE_URL}/admin/ as {DEMO_EMAIL} "
                f"with password {password}"
            )
        )

    def _verify_email(self, user):
        """Sign-in requires a verified address; the demo admin's is verified from the start."""
        EmailAddress.objects.update_or_create(
            user=user,
            email=user.email,
            defaults={"verified": True, "primary": True},
        )
