from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from organisations.models import ContactMessage, Membership, Organisation
from tests.accounts import client_as
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.mailers import FAILING, LOCMEM, run_worker

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MESSAGE = {"subject": "Joint workshop?", "body": "Shall we run a workshop on youth and peace?"}


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(
        email="secret@org.example", email_visibility="admins", phone="+31 70 000"
    )
    MembershipFactory(
        organisation=organisation, role=Membership.Role.OWNER, user__email="owner@org.example"
    )
    MembershipFactory(
        organisation=organisation, role=Membership.Role.EDITOR, user__email="editor@org.example"
    )
    return organisation


def contact_url(organisation):
    return reverse("organisations:contact", kwargs={"slug": organisation.slug})


def test_contact_sends_anonymous_visitors_to_sign_in(client, organisation):
    response = client.post(contact_url(organisation), MESSAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not ContactMessage.objects.exists()


def test_contact_page_reveals_no_hidden_address(client, user, organisation):
    client.force_login(user)

    body = client.get(contact_url(organisation)).content.decode()

    assert "secret@org.example" not in body
    assert "owner@org.example" not in body


def test_contact_mails_the_owners_with_the_senders_reply_to_and_records_delivery(
    client, organisation, django_capture_on_commit_callbacks
):
    sender = UserFactory(email="sender@example.org")
    client.force_login(sender)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact_url(organisation), MESSAGE, follow=True)

    assert [message.to for message in mail.outbox] == [["owner@org.example"]]
    assert mail.outbox[0].reply_to == ["sender@example.org"]
    assert mail.outbox[0].subject == "[PeaceNet] Joint workshop?"
    assert "Shall we run a workshop" in mail.outbox[0].body
    assert "/report/" in mail.outbox[0].body
    stored = ContactMessage.objects.get()
    assert (stored.sender, stored.organisation, stored.recipient_count) == (
        sender,
        organisation,
        1,
    )
    assert stored.delivered_at is not None
    page = response.content.decode()
    assert "Your message is sent" in page
    assert "owner@org.example" not in page
    assert "secret@org.example" not in page


def test_contact_an_organisation_without_owners_reaches_its_own_address(
    client, user, django_capture_on_commit_callbacks
):
    preloaded = OrganisationFactory(email="info@preloaded.example", email_visibility="admins")
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(contact_url(preloaded), MESSAGE)

    assert [message.to for message in mail.outbox] == [["info@preloaded.example"]]
    assert ContactMessage.objects.get().delivered_at is not None


def test_contact_without_any_recipient_is_saved_with_the_reason(client, user):
    unreachable = OrganisationFactory(email="")
    client.force_login(user)

    response = client.post(contact_url(unreachable), MESSAGE, follow=True)

    stored = ContactMessage.objects.get()
    assert stored.delivered_at is None
    assert "no owner" in stored.delivery_error
    assert "could not be delivered yet" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_contact_with_the_mail_server_down_keeps_the_message_and_delivers_it_later(
    client, user, organisation, database_tasks, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = FAILING
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(contact_url(organisation), MESSAGE, follow=True)
        run_worker()

    assert response.status_code == 200
    assert "Your message is sent" in response.content.decode()
    assert ContactMessage.objects.get().body == MESSAGE["body"]
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert "SMTPServerDisconnected" in failed.traceback

    settings.MAILERS = LOCMEM
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        run_worker()

    assert [message.to for message in mail.outbox] == [["owner@org.example"]]
    assert mail.outbox[0].reply_to == [user.email]


@pytest.mark.parametrize("status", ["pending", "rejected", "archived"])
def test_contact_of_an_unpublished_organisation_is_404(client, user, status):
    hidden = OrganisationFactory(status=status, email="x@example.org")
    client.force_login(user)

    response = client.post(contact_url(hidden), MESSAGE)

    assert response.status_code == 404
    assert mail.outbox == []


def test_contact_invalid_keeps_input_and_honeypot_stops_bots(client, user, organisation):
    client.force_login(user)

    invalid = client.post(contact_url(organisation), {"subject": "", "body": "Typed body"})
    bot = client.post(contact_url(organisation), {**MESSAGE, "homepage": "spam"})

    assert "Typed body" in invalid.content.decode()
    assert bot.status_code == 200
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("subject", ["Hello\nBcc: all@example.org", "Hello\r\nthere", "A\rB"])
def test_contact_subject_with_a_line_break_is_a_form_error(client, user, organisation, subject):
    client.force_login(user)

    response = client.post(contact_url(organisation), {**MESSAGE, "subject": subject})

    assert response.status_code == 200
    assert response.context["form"].errors["subject"] == ["Write the subject on one line."]
    assert MESSAGE["body"] in response.content.decode()
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_contact_rate_limit_gives_a_clear_message(client, user, organisation, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "contact_organisation": "2/h/ip,2/h/user",
    }
    client.force_login(user)
    for _ in range(2):
        client.post(contact_url(organisation), MESSAGE)

    response = client.post(contact_url(organisation), MESSAGE)

    assert response.status_code == 429
    assert "too often" in response.content.decode()
    assert ContactMessage.objects.count() == 2


def report_url(message):
    return reverse(
        "organisations:report_message",
        kwargs={"slug": message.organisation.slug, "pk": message.pk},
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("owner", True),
        ("editor", True),
        ("other_member", False),
        ("anonymous", False),
        ("staff", True),
        ("staff_without_mfa", False),
    ],
)
def test_report_abuse_is_for_the_receiving_organisation_and_staff(client, role, allowed):
    receiving = OrganisationFactory(status=Organisation.Status.PUBLISHED)
    message = ContactMessage.objects.create(
        organisation=receiving, sender=UserFactory(), subject="Spam", body="Buy now"
    )
    client = client_as(client, role, receiving)

    client.post(report_url(message), {"reason": "Advertising."})

    message.refresh_from_db()
    assert (message.reported_at is not None) is allowed
    assert message.reported_by == (client.user if allowed else None)


def test_report_abuse_tells_staff(client, organisation, staff, django_capture_on_commit_callbacks):
    message = ContactMessage.objects.create(
        organisation=organisation, sender=UserFactory(), subject="Threat", body="..."
    )
    client = client_as(client, "owner", organisation)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url(message), {"reason": "A threat."})

    assert mail.outbox[-1].to == [staff.email]
    assert "A threat." in mail.outbox[-1].body


def test_report_of_another_organisations_message_is_404(client, organisation):
    elsewhere = ContactMessage.objects.create(
        organisation=OrganisationFactory(), sender=UserFactory(), subject="S", body="B"
    )
    client = client_as(client, "owner", organisation)

    response = client.post(
        reverse(
            "organisations:report_message",
            kwargs={"slug": organisation.slug, "pk": elsewhere.pk},
        ),
        {"reason": "x"},
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.reported_at is None
