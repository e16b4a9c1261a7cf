"""Mail leaves through the task worker: a sign-up works while the mail server is down, and
the verification mail arrives once it is back."""

import mailbox
import os
import socket

import pytest
from django.contrib.auth import get_user_model
from django_tasks_db.models import DBTaskResult

from tests.factories import PASSWORD
from tests.stack.client import Browser
from tests.stack.conftest import wait_for

pytestmark = pytest.mark.stack


def smtp_answers():
    try:
        with socket.create_connection(("127.0.0.1", int(os.environ["EMAIL_PORT"])), timeout=1):
            return True
    except OSError:
        return False


def delivered_to(maildir, address):
    return [message for message in mailbox.Maildir(maildir) if message["To"] == address]


def test_signing_up_while_the_mail_server_is_down_succeeds_and_the_mail_follows(stack, unique):
    address = f"newcomer-{unique}@example.org"
    stack.stop("smtp")
    wait_for("the SMTP sink is down", lambda: not smtp_answers())
    try:
        signed_up = Browser().post(
            "/accounts/signup/",
            {"email": address, "password1": PASSWORD, "password2": PASSWORD},
        )
        # The worker tried, failed and recorded it (a retry is scheduled).
        wait_for(
            "a failed delivery recorded",
            lambda: DBTaskResult.objects.filter(
                task_path__endswith="deliver", status="FAILED", args_kwargs__kwargs__to=address
            ).exists(),
        )
        nothing_yet = delivered_to(stack.maildir, address) if stack.maildir.exists() else []
    finally:
        stack.start("smtp")

    assert signed_up.status_code == 302
    assert signed_up.headers["Location"] == "/accounts/confirm-email/"
    assert get_user_model().objects.filter(email=address).exists()
    assert nothing_yet == []
    wait_for("the mail delivered", lambda: delivered_to(stack.maildir, address))
    (message,) = delivered_to(stack.maildir, address)
    assert message["Subject"].startswith("[PeaceNet]")
    (body,) = [
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    ]
    assert f"{stack.url}/accounts/confirm-email/" in body
