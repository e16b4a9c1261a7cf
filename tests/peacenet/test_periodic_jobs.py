"""Periodic jobs: idempotent management commands, run by a timer (README, "Periodic jobs")."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from peacenet.lib import mail
from tests.mailers import FAILING, LOCMEM, run_worker

# The worker that finishes the task results commits and closes connections.
pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 11, 2, 3, 30, tzinfo=UTC)


def deliver(**kwargs):
    mail.deliver.enqueue(to="info@example.org", subject="s", body="b", **kwargs)


@pytest.fixture
def results(database_tasks, settings):
    """One delivered mail and one given up on (finished at NOW), and one still waiting."""
    settings.TASK_RESULTS_KEEP_DAYS = 14
    settings.TASK_RESULTS_KEEP_FAILED_DAYS = 90
    with time_machine.travel(NOW, tick=False):
        settings.MAILERS = LOCMEM
        deliver()
        run_worker()
        settings.MAILERS = FAILING
        deliver(attempt=len(settings.MAIL_RETRY_DELAYS) + 1)
        run_worker()
    mail.deliver.using(run_after=NOW + timedelta(days=365)).enqueue(
        to="later@example.org", subject="s", body="b"
    )


def statuses():
    return sorted(DBTaskResult.objects.values_list("status", flat=True))


def prune(moment):
    with time_machine.travel(moment, tick=False):
        call_command("prune_task_results", verbosity=0)


def test_prune_task_results_keeps_everything_younger_than_the_limits(results):
    prune(NOW + timedelta(days=13))

    assert statuses() == [
        TaskResultStatus.FAILED,
        TaskResultStatus.READY,
        TaskResultStatus.SUCCESSFUL,
    ]


def test_prune_task_results_deletes_old_successes_but_keeps_failures_longer(results):
    prune(NOW + timedelta(days=15))

    assert statuses() == [TaskResultStatus.FAILED, TaskResultStatus.READY]


def test_prune_task_results_deletes_old_failures_and_never_waiting_tasks(results):
    prune(NOW + timedelta(days=91))

    assert statuses() == [TaskResultStatus.READY]


def test_prune_task_results_is_idempotent(results):
    prune(NOW + timedelta(days=15))
    prune(NOW + timedelta(days=15))
    prune(NOW + timedelta(days=16))

    assert statuses() == [TaskResultStatus.FAILED, TaskResultStatus.READY]
