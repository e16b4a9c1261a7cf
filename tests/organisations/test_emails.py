"""The organisations' mails: each recipient reads theirs in their own language."""

import pytest
from django.core import mail
from django.utils import translation

from organisations import services
from organisations.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_publishing_mails_each_owner_in_their_language_with_absolute_links(
    settings, staff, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://peacenet.example"
    organisation = OrganisationFactory(name="Women's Peace Circle", status="pending")
    for email, language in [("daan@example.org", "nl"), ("emma@example.org", "en")]:
        MembershipFactory(
            organisation=organisation,
            role=Membership.Role.OWNER,
            user=UserFactory(email=email, preferred_language=language),
        )

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.publish(organisations=[organisation], by=staff)

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "daan@example.org": "[PeaceNet] Women's Peace Circle staat nu in het overzicht",
        "emma@example.org": "[PeaceNet] Women's Peace Circle is now in the directory",
    }
    dutch = next(message for message in mail.outbox if message.to == ["daan@example.org"])
    assert "Houd het profiel actueel" in dutch.body
    # Links lead to the pages in the recipient's language.
    assert f"https://peacenet.example/nl/organisations/{organisation.slug}/\n" in dutch.body
    assert f"https://peacenet.example/nl/organisations/{organisation.slug}/edit/" in dutch.body
    english = next(message for message in mail.outbox if message.to == ["emma@example.org"])
    assert f"https://peacenet.example/organisations/{organisation.slug}/\n" in english.body


def test_staff_addresses_from_settings_each_get_their_own_message(
    settings, user, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["moderation@example.org", "board@example.org"]
    organisation = OrganisationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.request_claim(organisation=organisation, user=user, justification="I run it")

    assert [message.to for message in mail.outbox] == [
        ["moderation@example.org"],
        ["board@example.org"],
    ]
