import datetime
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.accounts import current_totp_code, sign_in_with_mfa
from tests.clock import NOW, frozen_clock
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ADMIN = reverse("admin:index")


def verified_user(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


# Sign-up, verification, login, logout -------------------------------------------------------


def test_signup_verify_email_and_arrive_signed_in_on_the_dashboard(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )

    assert response.status_code == 302
    user = get_user_model().objects.get(email="new@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("dashboard")).status_code == 302  # not signed in yet
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)

    response = client.post(link.group(1))

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert dashboard.context["user"] == user


def test_signup_honeypot_creates_no_account(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "bot@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "website_url": "http://spam.example",
        },
    )

    assert not get_user_model().objects.filter(email="bot@example.org").exists()
    assert mail.outbox == []


def test_signup_form_hides_the_honeypot_without_inline_style(client):
    body = client.get(reverse("account_signup")).content.decode()

    honeypot = re.search(r'<input[^>]*name="website_url"[^>]*>', body).group(0)
    assert "style=" not in honeypot
    assert 'class="honeypot"' in honeypot


def test_login_with_an_unverified_address_sends_a_new_verification_mail(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert client.get(reverse("dashboard")).status_code == 302
    assert "confirm-email" in mail.outbox[0].body


def test_login_with_a_verified_address_goes_to_the_dashboard(client):
    user = verified_user()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_login_is_locked_after_five_failed_attempts(client):
    user = verified_user()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_logout_needs_a_post(client):
    user = verified_user()
    client.force_login(user)

    page = client.get(reverse("account_logout"))
    still_signed_in = client.get(reverse("dashboard")).status_code
    client.post(reverse("account_logout"))

    assert page.status_code == 200
    assert still_signed_in == 200
    assert client.get(reverse("dashboard")).status_code == 302


def test_signed_in_navigation_has_dashboard_and_a_logout_form(client, user):
    client.force_login(user)

    body = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("dashboard")}"' in body
    assert f'<form action="{reverse("account_logout")}" method="post">' in body


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_reset_password"],
)
def test_account_pages_use_our_layout(client, name):
    body = client.get(reverse(name)).content.decode()

    assert '<html lang="en" dir="ltr">' in body
    assert '<main id="main"' in body
    assert body.count("<h1") == 1
    assert "PeaceNet The Hague" in body


@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "mfa_index", "account_logout"]
)
def test_account_management_pages_use_our_layout(client, name):
    client.force_login(verified_user())

    body = client.get(reverse(name)).content.decode()

    assert '<main id="main"' in body
    assert body.count("<h1") == 1


# Two-factor authentication for staff in the admin -------------------------------------------


def test_admin_sends_anonymous_visitors_to_the_account_login(client):
    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_admin_is_forbidden_to_members(client, user):
    client.force_login(user)

    response = client.get(ADMIN, follow=True)

    assert response.status_code == 403


def test_admin_sends_staff_without_an_authenticator_to_set_one_up(client):
    client.force_login(verified_user(is_staff=True))

    response = client.get(ADMIN, follow=True)

    assert reverse("mfa_activate_totp") in [url for url, _status in response.redirect_chain]
    assert "Django administration" not in response.content.decode()


def test_admin_asks_staff_with_an_authenticator_for_a_code(client):
    staff = verified_user(is_staff=True)
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)

    response = client.get(ADMIN)
    login = client.get(response["Location"])

    assert response.status_code == 302
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("mfa_reauthenticate"))


@frozen_clock
def test_admin_opens_after_confirming_a_totp_code_in_a_password_only_session(client):
    staff = verified_user(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    client.force_login(staff)
    reauthenticate = client.get(client.get(ADMIN)["Location"])["Location"]

    response = client.post(reauthenticate, {"code": current_totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


@frozen_clock
def test_admin_opens_after_password_and_totp_code(client):
    staff = verified_user(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    step_one = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    step_two = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    admin = client.get(ADMIN)

    assert step_one["Location"] == reverse("mfa_authenticate")
    assert step_two.status_code == 302
    assert admin.status_code == 200


@frozen_clock
def test_staff_set_up_their_app_right_after_signing_in_without_typing_the_password_again(client):
    staff = verified_user(is_staff=True, is_superuser=True)

    signed_in = client.post(
        reverse("account_login") + "?next=" + ADMIN,
        {"login": staff.email, "password": PASSWORD},
        follow=True,
    )
    visited = [url for url, _status in signed_in.redirect_chain]
    secret = signed_in.context["form"].secret
    activated = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    codes = client.get(activated["Location"])

    assert reverse("mfa_activate_totp") in visited
    assert not any(url.startswith(reverse("account_reauthenticate")) for url in visited)
    assert signed_in.status_code == 200
    assert activated["Location"] == reverse("mfa_view_recovery_codes")
    assert codes.status_code == 200
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()


def test_setting_up_an_app_asks_for_the_password_again_some_minutes_after_signing_in(client):
    staff = verified_user(is_staff=True)
    with time_machine.travel(NOW, tick=False) as traveller:
        client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
        soon = client.get(reverse("mfa_activate_totp"))
        traveller.shift(datetime.timedelta(minutes=6))
        later = client.get(reverse("mfa_activate_totp"))

    assert soon.status_code == 200
    assert later.status_code == 302
    assert later["Location"].startswith(reverse("account_reauthenticate"))


def test_a_session_signed_in_without_a_password_is_asked_for_it_before_setting_up_an_app(client):
    client.force_login(verified_user(is_staff=True))

    response = client.get(reverse("mfa_activate_totp"))

    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_admin_opens_for_staff_whose_session_used_mfa(client, staff):
    response = sign_in_with_mfa(client, staff).get(ADMIN)

    assert response.status_code == 200


# Production settings and the demo administrator ---------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "peacenet.settings",
            "DEBUG": "0",
            "SECRET_KEY": "k3y-" + "".join(chr(65 + i % 26) + str(i) for i in range(40)),
            "ALLOWED_HOSTS": "peacenet.example",
            "SITE_URL": "https://peacenet.example",
            "DATABASE_URL": "",
            "EMAIL_HOST": "smtp.example.org",
            # Behind one proxy, as the README deploys it (else peacenet.W001 warns).
            "TRUSTED_PROXY_COUNT": "1",
        }
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_superuser_has_a_verified_address_and_is_told_about_two_factor(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("demo_superuser", stdout=out)

    admin = get_user_model().objects.get(email="admin@peacenet.local")
    address = EmailAddress.objects.get(user=admin)
    assert (address.email, address.verified, address.primary) == (admin.email, True, True)
    assert "two-factor authentication" in out.getvalue()
    assert "authenticator app" in out.getvalue()
