"""Staff and confirmation: the admin's filter, "ask to confirm now", and the queue of entries
not confirmed for 24 months, where archiving is suggested and nothing happens by itself."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from organisations.models import ConfirmationReminder, Organisation
from tests.clock import frozen_clock
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db, frozen_clock]  # today is 10 June 2026

CHANGELIST = reverse("admin:organisations_organisation_changelist")
QUEUE = reverse("admin:organisations_unconfirmedorganisation_changelist")


@pytest.fixture
def entries():
    return {
        "recent": OrganisationFactory(name="Recent", last_confirmed=datetime.date(2026, 1, 1)),
        "stale": OrganisationFactory(name="Stale", last_confirmed=datetime.date(2025, 1, 1)),
        "forgotten": OrganisationFactory(
            name="Forgotten", last_confirmed=datetime.date(2024, 1, 1)
        ),
        "archived": OrganisationFactory(
            name="Archived", status="archived", last_confirmed=datetime.date(2020, 1, 1)
        ),
    }


def names(response):
    return sorted(o.name for o in response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("recent", ["Recent"]),
        ("stale", ["Archived", "Forgotten", "Stale"]),
        ("archive", ["Archived", "Forgotten"]),
    ],
)
def test_admin_filters_organisations_by_confirmation(admin_client, entries, value, expected):
    response = admin_client.get(CHANGELIST, {"confirmed": value})

    assert names(response) == expected


def test_ask_to_confirm_now_mails_the_members_at_once(
    admin_client, entries, django_capture_on_commit_callbacks
):
    MembershipFactory(organisation=entries["stale"], user__email="owner@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {
                "action": "ask_to_confirm",
                ACTION_CHECKBOX_NAME: [entries["stale"].pk, entries["recent"].pk],
            },
            follow=True,
        )

    assert [message.to for message in mail.outbox] == [["owner@example.org"]]
    assert "/organisations/" in mail.outbox[0].body
    reminder = ConfirmationReminder.objects.get()
    assert (reminder.organisation, reminder.stage) == (entries["stale"], 0)
    text = response.content.decode()
    assert "1 organisation asked to confirm its details." in text
    assert "Nobody to ask (no members, or not published): Recent" in text


def test_queue_lists_published_entries_unconfirmed_for_24_months_only(admin_client, entries):
    response = admin_client.get(QUEUE)

    assert response.status_code == 200
    assert names(response) == ["Forgotten"]
    assert Organisation.objects.get(name="Forgotten").status == "published"


def test_queue_is_linked_from_the_admin_index(admin_client):
    assert QUEUE in admin_client.get(reverse("admin:index")).content.decode()


def test_archiving_from_the_queue_is_staffs_choice(admin_client, entries):
    MembershipFactory(organisation=entries["forgotten"])

    response = admin_client.post(
        QUEUE,
        {
            "action": "archive_selected",
            ACTION_CHECKBOX_NAME: [entries["forgotten"].pk],
            "apply": "1",
            "reason": "",
        },
    )

    assert response.status_code == 302
    assert Organisation.objects.get(name="Forgotten").status == "archived"
    assert names(admin_client.get(QUEUE)) == []
