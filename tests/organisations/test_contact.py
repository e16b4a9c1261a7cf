from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from organisations.models import ClaimRequest, ContactMessage, Membership, Organisation
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

    assert [message.to for message in mail.outbox] == [
        ["owner@org.example"],
        ["sender@example.org"],  # their copy
    ]
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


def test_contact_an_organisation_without_owners_says_staff_pass_it_on_before_sending(
    client, user, organisation
):
    preloaded = OrganisationFactory(name="Preloaded Peace", email="info@preloaded.example")
    client.force_login(user)

    page = client.get(contact_url(preloaded)).content.decode()
    owned = client.get(contact_url(organisation)).content.decode()

    assert "staff, who will pass it on" in page
    assert "info@preloaded.example" not in page
    assert "staff, who will pass it on" not in owned


def test_contact_an_organisation_without_owners_reaches_staff_and_the_admin_queue(
    client, staff, django_capture_on_commit_callbacks
):
    preloaded = OrganisationFactory(name="Preloaded Peace", email="info@preloaded.example")
    sender = UserFactory(email="sender@example.org", first_name="Bob", last_name="Jansen")
    client.force_login(sender)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact_url(preloaded), MESSAGE, follow=True)

    stored = ContactMessage.objects.get()
    assert stored.via_staff
    assert stored.delivered_at is not None
    assert (stored.recipient_count, stored.delivery_error) == (1, "")
    assert list(ContactMessage.objects.waiting_for_staff()) == [stored]
    to_staff = next(message for message in mail.outbox if message.to == [staff.email])
    assert "Preloaded Peace" in to_staff.subject
    assert "Bob Jansen <sender@example.org>" in to_staff.body
    assert MESSAGE["body"] in to_staff.body
    assert f"/admin/organisations/contactmessage/{stored.pk}/change/" in to_staff.body
    assert to_staff.reply_to == ["sender@example.org"]
    assert "info@preloaded.example" not in [address for m in mail.outbox for address in m.to]
    assert "staff, who will pass it on" in response.content.decode()


def test_contact_without_owners_goes_to_the_configured_staff_address(
    client, user, staff, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["moderators@peacenet.example"]
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(contact_url(OrganisationFactory()), MESSAGE)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["moderators@peacenet.example", user.email]
    )


def test_contact_without_owners_or_staff_addresses_waits_in_the_admin_with_the_reason(
    client, user
):
    client.force_login(user)

    response = client.post(contact_url(OrganisationFactory()), MESSAGE, follow=True)

    stored = ContactMessage.objects.get()
    assert stored.via_staff
    assert stored.delivered_at is None
    assert "waits in the admin" in stored.delivery_error
    assert list(ContactMessage.objects.waiting_for_staff()) == [stored]
    assert "staff, who will pass it on" in response.content.decode()


@pytest.mark.parametrize("owners", [0, 1])
def test_contact_sender_gets_a_copy_of_what_they_sent(
    client, organisation, owners, django_capture_on_commit_callbacks
):
    target = organisation if owners else OrganisationFactory(name="Nobody Here Yet")
    sender = UserFactory(email="sender@example.org")
    client.force_login(sender)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(contact_url(target), MESSAGE)

    copies = [message for message in mail.outbox if message.to == ["sender@example.org"]]
    assert len(copies) == 1
    assert MESSAGE["subject"] in copies[0].subject
    assert MESSAGE["body"] in copies[0].body
    assert ("staff will pass your message on" in copies[0].body) is (not owners)
    assert "owner@org.example" not in copies[0].body
    assert "secret@org.example" not in copies[0].body


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
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert failed.count() == 2  # to the owner, and the sender's copy
    assert all("SMTPServerDisconnected" in result.traceback for result in failed)

    settings.MAILERS = LOCMEM
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        run_worker()

    assert sorted(message.to for message in mail.outbox) == sorted(
        [["owner@org.example"], [user.email]]
    )
    to_owner = next(message for message in mail.outbox if message.to == ["owner@org.example"])
    assert to_owner.reply_to == [user.email]


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


# Staff pass on messages for organisations without owners ------------------------------

CONTACT_CHANGELIST = reverse("admin:organisations_contactmessage_changelist")


def message_for_staff(organisation, **fields):
    return ContactMessage.objects.create(
        organisation=organisation,
        sender=UserFactory(first_name="Bob", last_name="Jansen"),
        subject="Joint workshop?",
        body="Shall we run a workshop on youth and peace?",
        via_staff=True,
        **fields,
    )


def pass_on(client, action, messages):
    return client.post(
        CONTACT_CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [message.pk for message in messages]},
        follow=True,
    )


def test_staff_queue_lists_the_messages_waiting_to_be_passed_on(admin_client):
    waiting = message_for_staff(OrganisationFactory())
    message_for_staff(OrganisationFactory(), passed_on="forwarded", passed_on_at=NOW)
    ContactMessage.objects.create(
        organisation=OrganisationFactory(), sender=UserFactory(), subject="To owners", body="."
    )

    response = admin_client.get(CONTACT_CHANGELIST, {"waiting": "yes"})

    assert list(response.context["cl"].result_list) == [waiting]


def test_staff_forward_a_message_to_the_organisations_address_in_one_action(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    preloaded = OrganisationFactory(email="info@preloaded.example", email_visibility="admins")
    message = message_for_staff(preloaded)

    with django_capture_on_commit_callbacks(execute=True):
        response = pass_on(admin_client, "forward_selected", [message])

    message.refresh_from_db()
    assert message.passed_on == ContactMessage.PassedOn.FORWARDED
    assert (message.passed_on_by, message.passed_on_at is not None) == (admin_user, True)
    assert [sent.to for sent in mail.outbox] == [["info@preloaded.example"]]
    forwarded = mail.outbox[0]
    assert forwarded.reply_to == [message.sender.email]
    assert f"Bob Jansen <{message.sender.email}>" in forwarded.body
    assert message.body in forwarded.body
    assert "/claim/" not in forwarded.body
    assert "1 message passed on" in response.content.decode()
    assert not ContactMessage.objects.waiting_for_staff().exists()


def test_staff_invite_a_member_less_organisation_to_claim_its_entry_and_it_does(
    admin_client, client, settings, django_capture_on_commit_callbacks
):
    preloaded = OrganisationFactory(email="info@preloaded.example")
    message = message_for_staff(preloaded)

    with django_capture_on_commit_callbacks(execute=True):
        pass_on(admin_client, "invite_to_claim_selected", [message])

    message.refresh_from_db()
    assert message.passed_on == ContactMessage.PassedOn.CLAIM_INVITATION
    [invitation] = mail.outbox
    assert invitation.to == ["info@preloaded.example"]
    assert message.body in invitation.body
    claim_path = reverse("organisations:claim", kwargs={"slug": preloaded.slug})
    assert f"{settings.SITE_URL}{claim_path}" in invitation.body

    representative = UserFactory(email="info@preloaded.example")
    client.force_login(representative)
    client.post(claim_path, {"justification": "I run the office; your mail reached us."})

    claim = ClaimRequest.objects.get(organisation=preloaded)
    assert (claim.user, claim.status) == (representative, ClaimRequest.Status.PENDING)


def test_staff_pass_on_refuses_what_cannot_be_done_and_changes_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    no_address = message_for_staff(OrganisationFactory(name="No Address Org", email=""))
    already = message_for_staff(
        OrganisationFactory(email="a@example.org"), passed_on="forwarded", passed_on_at=NOW
    )
    owned = OrganisationFactory(name="Owned Meanwhile", email="b@example.org")
    MembershipFactory(organisation=owned, role=Membership.Role.OWNER)
    member_now = message_for_staff(owned)

    with django_capture_on_commit_callbacks(execute=True):
        response = pass_on(
            admin_client, "invite_to_claim_selected", [no_address, already, member_now]
        )

    page = response.content.decode()
    assert "No Address Org has no email address" in page
    assert "was already passed on" in page
    assert "Owned Meanwhile already has members" in page
    assert "0 messages passed on" in page
    assert mail.outbox == []
    assert ContactMessage.objects.filter(passed_on_by__isnull=False).count() == 0
    no_address.refresh_from_db()
    assert no_address.passed_on == ""
