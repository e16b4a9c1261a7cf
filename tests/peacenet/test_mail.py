"""The mail module: rendering per recipient, and delivery through the task worker."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail as outbox
from django.db import transaction
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from peacenet.lib import mail
from tests.factories import PASSWORD, UserFactory
from tests.mailers import FAILING, LOCMEM, run_worker

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DELAYS = [timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1)]


@pytest.fixture(autouse=True)
def _retry_delays(settings):
    settings.MAIL_RETRY_DELAYS = DELAYS


@pytest.fixture(autouse=True)
def _test_templates(settings):
    templates = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**templates, "DIRS": [*templates["DIRS"], Path(__file__).parent.parent / "templates"]}
    ]


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """``mail.send`` in a transaction that commits, as a request's would."""

    def send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            mail.send(**kwargs)

    return send


def test_send_writes_one_message_per_recipient_with_the_prefix_and_absolute_links(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://peacenet.example"
    user = UserFactory(email="amina@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        mail.send(
            template="tests/email/greeting",
            to=[user, "info@example.org", "AMINA@example.org"],
            context={"name": "Women's Peace Circle"},
        )

    assert [message.to for message in outbox.outbox] == [
        ["amina@example.org"],
        ["info@example.org"],
    ]
    message = outbox.outbox[0]
    assert message.subject == "[PeaceNet] Greetings from Women's Peace Circle (en)"
    assert "Women's Peace Circle says hello in en." in message.body
    assert "https://peacenet.example/\n" in message.body
    assert message.alternatives[0].content == "<p>Women&#x27;s Peace Circle says hello.</p>\n"


def test_send_without_an_html_template_sends_plain_text_only(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail.send(template="tests/email/plain", to="info@example.org", context={"name": "A&B"})

    (message,) = outbox.outbox
    assert message.subject == "[PeaceNet] Plain from A&B"
    assert message.body == "Only text from A&B.\n"
    assert message.alternatives == []


def test_send_writes_in_each_recipients_language(django_capture_on_commit_callbacks):
    dutch = UserFactory(email="daan@example.org", preferred_language="nl")
    english = UserFactory(email="emma@example.org", preferred_language="en")
    UserFactory(email="known@example.org", preferred_language="nl")

    with django_capture_on_commit_callbacks(execute=True):
        mail.send(
            template="tests/email/greeting",
            to=[dutch, english, "known@example.org", "stranger@example.org"],
            context={"name": "PeaceNet"},
        )

    languages = {message.to[0]: message.subject[-3:-1] for message in outbox.outbox}
    assert languages == {
        "daan@example.org": "nl",
        "emma@example.org": "en",
        "known@example.org": "nl",
        "stranger@example.org": "en",
    }


def test_send_to_a_bare_address_takes_the_language_passed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail.send(
            template="tests/email/greeting",
            to="stranger@example.org",
            context={"name": "PeaceNet"},
            language="nl",
        )

    assert outbox.outbox[0].subject.endswith("(nl)")


def test_send_inside_a_transaction_that_rolls_back_sends_nothing(database_tasks):
    with transaction.atomic():
        mail.send(template="tests/email/plain", to="info@example.org", context={"name": "x"})
        transaction.set_rollback(True)

    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_send_enqueues_a_task_that_the_worker_delivers(database_tasks, settings, send_now):
    with time_machine.travel(NOW, tick=False):
        send_now(template="tests/email/plain", to="info@example.org", context={"name": "x"})

        assert outbox.outbox == []
        assert DBTaskResult.objects.get().status == TaskResultStatus.READY
        run_worker()

    assert [message.to for message in outbox.outbox] == [["info@example.org"]]
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_failed_delivery_is_recorded_and_retried_later_until_delivered(
    database_tasks, settings, send_now
):
    settings.MAILERS = FAILING
    with time_machine.travel(NOW, tick=False):
        send_now(template="tests/email/plain", to="info@example.org", context={"name": "x"})
        run_worker()

    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert "SMTPServerDisconnected" in failed.traceback
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after == NOW + DELAYS[0]
    assert retry.args_kwargs["kwargs"]["attempt"] == 2

    # Before the delay has passed, the worker leaves the retry alone.
    settings.MAILERS = LOCMEM
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        run_worker()
    assert outbox.outbox == []

    with time_machine.travel(NOW + DELAYS[0], tick=False):
        run_worker()
    assert [message.to for message in outbox.outbox] == [["info@example.org"]]
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_delivery_gives_up_after_the_last_attempt(database_tasks, settings, send_now):
    settings.MAILERS = FAILING
    moment = NOW
    with time_machine.travel(moment, tick=False):
        send_now(template="tests/email/plain", to="info@example.org", context={"name": "x"})
        run_worker()
    for delay in DELAYS:
        moment += delay
        with time_machine.travel(moment, tick=False):
            run_worker()

    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == (len(DELAYS) + 1)
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.FAILED).exists()


def test_failed_delivery_with_the_immediate_backend_is_recorded_not_raised(
    settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = FAILING
    finished = []

    def record(sender, task_result, **kwargs):
        finished.append(task_result)

    task_finished.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            mail.send(template="tests/email/plain", to="info@example.org", context={"name": "x"})
    finally:
        task_finished.disconnect(record)

    assert [result.status for result in finished] == [TaskResultStatus.FAILED]
    assert "SMTPServerDisconnected" in finished[0].errors[0].traceback
    assert outbox.outbox == []


# A request never fails because mail failed -------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_signup_with_the_mail_server_down_succeeds_and_the_worker_delivers_later(
    client, database_tasks, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = FAILING
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("account_signup"),
                {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
            )
        run_worker()

    assert response.status_code == 302
    assert get_user_model().objects.filter(email="new@example.org").exists()
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert "SMTPServerDisconnected" in failed.traceback

    settings.MAILERS = LOCMEM
    with time_machine.travel(NOW + DELAYS[0], tick=False):
        run_worker()

    (message,) = outbox.outbox
    assert message.to == ["new@example.org"]
    assert message.subject == "[PeaceNet] Please Confirm Your Email Address"
    assert "/accounts/confirm-email/" in message.body


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_staff_see_failed_deliveries_in_the_admin(
    staff_client, database_tasks, settings, send_now
):
    settings.MAILERS = FAILING
    with time_machine.travel(NOW, tick=False):
        send_now(template="tests/email/plain", to="info@example.org", context={"name": "x"})
        run_worker()
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)

    changelist = staff_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"), {"status": "FAILED"}
    )
    detail = staff_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk])
    )

    assert changelist.status_code == 200
    assert str(failed.pk) in changelist.content.decode()
    assert "SMTPServerDisconnected" in detail.content.decode()


def test_task_results_in_the_admin_are_closed_to_members(client, user):
    client.force_login(user)

    response = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
