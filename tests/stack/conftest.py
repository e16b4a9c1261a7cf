"""The stack tests' helpers: HTTPS clients through nginx, members, and the stack's controls.

These tests run in the environment scripts/with-stack exports (tests elsewhere skip them):
the same settings as the app servers, so the ORM here reads and writes the stack's own
PostgreSQL database, Redis and S3 bucket.
"""

import os
import re
import signal
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches

from tests.peacenet.test_accounts import verified_user

pytestmark = pytest.mark.stack

WAIT_SECONDS = 60


def wait_for(what, condition, seconds=WAIT_SECONDS):
    """Poll ``condition`` until it is true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not so after {seconds} s")
        time.sleep(0.1)


class Stack:
    """The addresses and controls scripts/with-stack exports."""

    url = os.environ.get("STACK_URL", "")
    http_url = os.environ.get("STACK_HTTP_URL", "")
    url_a = os.environ.get("STACK_URL_A", "")
    url_b = os.environ.get("STACK_URL_B", "")
    app_workers = int(os.environ.get("STACK_APP_WORKERS", "0"))
    maildir = Path(os.environ.get("STACK_MAILDIR", "."))
    media_root = Path(os.environ.get("STACK_MEDIA_ROOT", "."))
    control = Path(os.environ.get("STACK_CONTROL", "."))

    def kill(self, service):
        """Take a service down at once, as a crash would (its whole process group)."""
        pid = int((self.control / f"{service}.pid").read_text())
        os.killpg(pid, signal.SIGKILL)

    def stop(self, service):
        pid = int((self.control / f"{service}.pid").read_text())
        os.killpg(pid, signal.SIGTERM)

    def start(self, service):
        """Have scripts/with-stack start ``service`` again; return once it answers."""
        request = self.control / f"start-{service}"
        request.touch()
        wait_for(f"{service} started again", lambda: not request.exists())


@pytest.fixture(scope="session")
def stack():
    return Stack()


@pytest.fixture(scope="session", autouse=True)
def _stack_database(django_db_blocker):
    """The ORM works on the stack's own database (there is no separate test database)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every stack test starts with empty shared caches (rate limits, lockouts, pages)."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def unique():
    """A short random word, so that tests sharing the stack's database never collide."""
    return uuid.uuid4().hex[:10]


@pytest.fixture
def member(unique):
    """A person with a verified address who can sign in."""
    return verified_user(email=f"member-{unique}@example.org")


def logo_urls(html):
    return re.findall(r'<img[^>]+src="([^"]+/logos/[^"]+)"', html)
