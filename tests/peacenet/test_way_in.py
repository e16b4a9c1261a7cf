"""The ways in to registering an organisation: the invitations on the home page, the
directory and the navigation, and a sign-up that comes back to registration."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = reverse("organisations:register")
INVITATION = f'href="{reverse("account_signup")}?next={REGISTER}"'
NAV_ITEM = f'<a href="{REGISTER}">Add your organisation</a>'


def test_home_invites_every_visitor_to_add_their_organisation(client):
    first = client.get(reverse("home")).content.decode()
    second = Client().get(reverse("home")).content.decode()

    assert "Is your organisation working for peace in The Hague?" in first
    assert INVITATION in first
    assert INVITATION in second


def test_directory_invites_to_add_an_organisation_when_a_search_finds_nothing(client):
    OrganisationFactory(name="Tosangana Peace Circle")

    body = client.get(reverse("organisations:directory"), {"q": "zzyzx"}).content.decode()

    assert "No organisations found" in body
    assert INVITATION in body


def test_directory_invites_to_add_an_organisation_after_the_results(client):
    OrganisationFactory(name="Tosangana Peace Circle")

    body = client.get(reverse("organisations:directory")).content.decode()

    assert INVITATION in body
    assert body.index("Tosangana Peace Circle") < body.index(INVITATION)


def test_navigation_invites_a_signed_in_person_without_an_organisation(client):
    client.force_login(UserFactory())

    body = client.get(reverse("home")).content.decode()

    assert NAV_ITEM in body


def test_navigation_has_no_invitation_for_a_member_of_an_organisation(client):
    client.force_login(MembershipFactory().user)

    body = client.get(reverse("home")).content.decode()

    assert NAV_ITEM not in body


def test_navigation_has_no_invitation_for_visitors(client):
    body = client.get(reverse("organisations:directory")).content.decode()

    assert NAV_ITEM not in body


def test_a_signed_in_person_following_the_invitation_arrives_at_registration(client):
    client.force_login(UserFactory())

    response = client.get(reverse("account_signup"), {"next": REGISTER})

    assert response.status_code == 302
    assert response["Location"] == REGISTER


def test_signup_from_the_invitation_comes_back_to_registration_after_verification(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{reverse('account_signup')}?next={REGISTER}",
            {
                "email": "new@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": REGISTER,
            },
        )
    user = get_user_model().objects.get(email="new@example.org")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)

    response = client.post(link.group(1))

    assert EmailAddress.objects.get(user=user).verified
    assert response.status_code == 302
    assert response["Location"] == REGISTER
    assert client.get(REGISTER).status_code == 200


def test_signing_in_from_the_invitation_comes_back_to_registration(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD, "next": REGISTER},
    )

    assert response.status_code == 302
    assert response["Location"] == REGISTER


def test_dashboard_navigation_invites_only_people_without_an_organisation(client):
    client.force_login(UserFactory())
    assert NAV_ITEM in client.get(reverse("dashboard")).content.decode()

    client.force_login(MembershipFactory().user)
    assert NAV_ITEM not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize(
    ("language", "why", "next_step"),
    [
        ("en", "it is how we know who speaks for it", "typically within 4 days"),
        ("nl", "zo weten wij wie namens haar spreekt", "meestal binnen 4 dagen"),
    ],
)
def test_signup_page_says_why_an_account_is_needed_and_when_staff_review(
    client, settings, language, why, next_step
):
    settings.REVIEW_DAYS = 4
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    # A chosen language other than English leads to that language's address.
    body = client.get(reverse("account_signup"), {"next": REGISTER}, follow=True).content.decode()

    assert why in body
    assert next_step in body
    assert f'name="next" value="{REGISTER}"' in body
