"""Mail servers and the task worker, for tests of mail that leaves through the worker."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FAILING = {"default": {"BACKEND": "tests.mailers.FailingBackend"}}


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def run_worker():
    """Run every task that is due, as ``manage.py db_worker`` does, then return. The worker
    commits and closes connections: use it in ``django_db(transaction=True)`` tests."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
