import datetime
import os
import shutil

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.utils import translation

from tests.accounts import sign_in_with_mfa
from tests.clock import AMSTERDAM
from tests.factories import OrganisationFactory, UserFactory
from tests.mailers import DATABASE_TASKS

# Playwright's sync API keeps an event loop running in the test thread; Django's ORM would
# otherwise refuse to run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BROWSER_REQUIRED = os.environ.get("PEACENET_REQUIRE_BROWSER", "") == "1"
STACK_REQUIRED = os.environ.get("PEACENET_REQUIRE_STACK", "") == "1"
CLOCK = pytest.StashKey[datetime.datetime]()


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("PEACENET_TEST_CLOCK", ""),
        help=(
            "Freeze the clock for the whole run at this Amsterdam time: a time of day today "
            "('00:30') or a moment ('2026-12-03 00:30'); also PEACENET_TEST_CLOCK. Proves no "
            "test depends on when it runs; tests that pin their own moment still get it."
        ),
    )


def frozen_instant(value):
    """The moment ``--clock`` names, in Amsterdam time."""
    try:
        moment = datetime.datetime.combine(
            datetime.datetime.now(AMSTERDAM).date(), datetime.time.fromisoformat(value)
        )
    except ValueError:
        moment = datetime.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)


def pytest_configure(config):
    if value := config.getoption("clock"):
        try:
            instant = frozen_instant(value)
        except ValueError:
            message = f"--clock {value!r} is neither HH:MM nor a date and time"
            raise pytest.UsageError(message) from None
        traveller = time_machine.travel(instant, tick=False)
        traveller.start()
        config.add_cleanup(traveller.stop)
        config.stash[CLOCK] = instant


def pytest_report_header(config):
    if instant := config.stash.get(CLOCK, None):
        return f"clock frozen at {instant.isoformat()} for the whole run"
    return None


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if BROWSER_REQUIRED:
            pytest.fail(message + "; browser tests are required here.", pytrace=False)
        pytest.skip(message)
    if item.get_closest_marker("stack") and not os.environ.get("STACK_URL"):
        message = "needs the engines of scripts/with-stack (STACK_URL is not set)"
        if STACK_REQUIRED:
            pytest.fail(message + "; stack tests are required here.", pytrace=False)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _skip_postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL to a PostgreSQL database)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Dutch leaves Dutch active in the test's thread (LocaleMiddleware activates a
    language, nothing deactivates it): every test starts and ends in the default language."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, lockouts, cached pages and counts live in the caches: every test starts
    from empty ones. So does what the search keeps in the process: how PostgreSQL reads
    words (whether a search asks for it shows in a test's query count) and the facet
    statements kept per shape, and the lexemes it found in the documents; and the values
    kept in the process per content generation."""
    from organisations import facets, search
    from peacenet.lib import caching

    def forget():
        for cache in caches.all():
            cache.clear()
        caching._kept.clear()
        search._read_terms.clear()
        search._held_lexemes.clear()
        search._absent_lexemes.clear()
        facets._shapes.clear()

    forget()
    yield
    forget()


@pytest.fixture
def admin_client(client, admin_user):
    """A client signed in as a superuser with two-factor authentication, as the admin needs."""
    return sign_in_with_mfa(client, admin_user)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff):
    """A client signed in as staff with two-factor authentication (the admin requires it)."""
    return sign_in_with_mfa(client, staff)


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def database_tasks(settings):
    """Tasks (mail) are stored in the database for the worker, as in production, instead of
    running at once (tests.mailers.run_worker runs them)."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` commits the changes made inside it, as a request does (the test
    itself runs in a transaction that is never committed), so cached pages and fragments
    see them."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
