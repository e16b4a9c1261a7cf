import os

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker):
    """The real demo data, loaded once per test module inside a transaction that is rolled
    back afterwards (each test still runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_data, db):
    """The real demo data: the 40 organisations and three network groups."""
