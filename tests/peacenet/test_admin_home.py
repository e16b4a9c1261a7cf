"""The admin's home shows staff what waits for them, each queue linking to its filtered list."""

import datetime
import re

import pytest
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from organisations.models import ClaimRequest, ContactMessage, Organisation
from peacenet.settings import TASKS as PRODUCTION_TASKS
from tests.clock import NOW, frozen_clock
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db, frozen_clock]

ADMIN = reverse("admin:index")
QUEUE = re.compile(
    r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td><a href="[^"]+">(\d+)</a>'
)


def queues(html):
    """The admin home's queues: label -> (count, link)."""
    return {
        label: (int(count), url.replace("&amp;", "&")) for url, label, count in QUEUE.findall(html)
    }


def months_ago(months):
    return NOW.date() - datetime.timedelta(days=31 * months)


def failed_task(path, status=TaskResultStatus.FAILED):
    DBTaskResult.objects.create(
        task_path=path,
        args_kwargs={"args": [], "kwargs": {}},
        status=status,
        backend_name="default",
        run_after=timezone.now(),
    )


def fill_the_queues(rows):
    """``rows`` of each kind staff must look at, and some that need nothing."""
    for _ in range(rows):
        OrganisationFactory(status=Organisation.Status.PENDING)
        unowned = OrganisationFactory(last_confirmed=NOW.date())
        ClaimRequest.objects.create(organisation=unowned, user=UserFactory(), justification="Me.")
        ContactMessage.objects.create(organisation=unowned, subject="Hi", body="?", via_staff=True)
        ContactMessage.objects.create(
            organisation=unowned, subject="Spam", body="!", reported_at=timezone.now()
        )
        OrganisationFactory(last_confirmed=months_ago(14))  # stale
        OrganisationFactory(last_confirmed=months_ago(25))  # stale, and for 24 months
        failed_task("peacenet.lib.mail.deliver")
    # Nothing to do about these:
    failed_task("peacenet.lib.mail.deliver", status=TaskResultStatus.SUCCESSFUL)
    failed_task("organisations.tasks.prepare_export")
    OrganisationFactory(last_confirmed=NOW.date())
    OrganisationFactory(status=Organisation.Status.ARCHIVED, last_confirmed=months_ago(30))
    ContactMessage.objects.create(
        organisation=OrganisationFactory(),
        subject="Passed",
        body=".",
        via_staff=True,
        passed_on="forwarded",
        passed_on_at=timezone.now(),
    )


def test_admin_home_counts_each_queue_and_links_to_exactly_those_rows(admin_client, settings):
    settings.TASKS = PRODUCTION_TASKS  # the task results' list reads the database's queue
    fill_the_queues(2)

    shown = queues(admin_client.get(ADMIN).content.decode())

    assert {label: count for label, (count, _url) in shown.items()} == {
        "Organisations waiting for review": 2,
        "Claims waiting for review": 2,
        "Messages to pass on": 2,
        "Messages reported as abuse": 2,
        "Mail that could not be delivered": 2,
        "Stale entries (not confirmed for more than 13 months)": 4,
        "Unconfirmed for 24 months: review for archiving": 2,
    }
    for label, (count, url) in shown.items():
        listed = admin_client.get(url)
        assert listed.status_code == 200, label
        assert listed.context["cl"].result_count == count, label


def test_admin_home_says_zero_when_nothing_waits(admin_client):
    shown = queues(admin_client.get(ADMIN).content.decode())

    assert len(shown) == 7
    assert {count for count, _url in shown.values()} == {0}


@pytest.mark.parametrize("rows", [1, 20])
def test_admin_home_costs_one_query_per_queue(admin_client, django_assert_num_queries, rows):
    fill_the_queues(rows)

    # session and user, seven counts, the recent actions beside them
    with django_assert_num_queries(10):
        response = admin_client.get(ADMIN)

    assert response.status_code == 200


def test_admin_home_names_the_queues_in_dutch(admin_client):
    admin_client.cookies["django_language"] = "nl"  # chosen: the plain address leads to /nl/

    html = admin_client.get(ADMIN, follow=True).content.decode()

    assert "Wacht op de redactie" in html
    assert "Organisaties die wachten op beoordeling" in html
    assert "Verouderde vermeldingen (langer dan 13 maanden niet bevestigd)" in html
