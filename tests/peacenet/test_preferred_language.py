"""A person's mail is written in the language they use the site in."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.languages import in_language

pytestmark = pytest.mark.django_db


def test_signup_in_dutch_remembers_dutch_and_verifies_in_dutch(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://peacenet.example"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            in_language(reverse("account_signup"), "nl"),
            {"email": "daan@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )

    assert get_user_model().objects.get(email="daan@example.org").preferred_language == "nl"
    assert mail.outbox[0].subject == "[PeaceNet] Bevestig uw e-mailadres"
    assert "https://peacenet.example/nl/accounts/confirm-email/" in mail.outbox[0].body


def test_login_remembers_the_language_of_the_site(client):
    user = UserFactory(preferred_language="en")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    client.post(
        in_language(reverse("account_login"), "nl"), {"login": user.email, "password": PASSWORD}
    )

    user.refresh_from_db()
    assert user.preferred_language == "nl"


def test_switching_language_remembers_it_for_a_signed_in_person(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "nl"
    user.refresh_from_db()
    assert user.preferred_language == "nl"


def test_switching_to_an_unknown_language_changes_nothing(client):
    user = UserFactory(preferred_language="nl")
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "nl"


def test_switching_language_as_a_visitor_still_works(client):
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"})

    assert response.cookies["django_language"].value == "nl"


def test_account_mail_to_a_dutch_member_is_dutch_from_an_english_page(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://peacenet.example"
    user = UserFactory(email="daan@example.org", preferred_language="nl")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"),
            {"email": "daan@example.org"},
        )

    (message,) = mail.outbox
    assert message.to == ["daan@example.org"]
    assert message.subject.startswith("[PeaceNet] ")
    assert "wachtwoord" in message.subject.lower()
    assert "https://peacenet.example/accounts/password/reset/key/" in message.body
