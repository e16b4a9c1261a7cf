"""After saving their recovery codes, staff continue to the admin from the same page."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.accounts import current_totp_code, sign_in_with_mfa
from tests.clock import frozen_clock
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
RECOVERY_CODES = reverse("mfa_view_recovery_codes")
CONTINUE = re.compile(r'<a href="([^"]*)" class="button">\s*Continue to the admin\s*</a>')


def verified_user(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def reauthenticate(client):
    """Enter the password again, as allauth asks before showing or changing second factors."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


@frozen_clock
def test_staff_who_just_set_up_their_app_continue_through_a_code_to_the_admin(client):
    staff = verified_user(is_staff=True, is_superuser=True)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    reauthenticate(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret

    activated = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    page = client.get(activated["Location"])
    button = CONTINUE.search(page.content.decode())
    admin = client.get(button.group(1), follow=True)

    assert activated["Location"] == RECOVERY_CODES
    assert button.group(1) == ADMIN
    # The session has not used the new app yet: the admin asks for a code, then opens.
    assert admin.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate"))
    confirmed = client.post(admin.redirect_chain[-1][0], {"code": current_totp_code(secret)})
    assert confirmed["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_staff_with_staff_powers_go_straight_to_the_admin(client):
    staff = verified_user(is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    RecoveryCodes.activate(staff)
    sign_in_with_mfa(client, staff)
    reauthenticate(client)

    button = CONTINUE.search(client.get(RECOVERY_CODES).content.decode())

    assert button.group(1) == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_members_see_no_way_to_the_admin(client):
    member = verified_user()
    TOTP.activate(member, generate_totp_secret())
    RecoveryCodes.activate(member)
    sign_in_with_mfa(client, member)
    reauthenticate(client)

    page = client.get(RECOVERY_CODES)

    assert page.status_code == 200
    assert "Recovery" in page.content.decode()
    assert not CONTINUE.search(page.content.decode())
    assert ADMIN not in page.content.decode()


def test_the_button_speaks_dutch(client):
    staff = verified_user(is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    RecoveryCodes.activate(staff)
    sign_in_with_mfa(client, staff)
    reauthenticate(client)
    client.cookies["django_language"] = "nl"  # chosen: the plain address leads to /nl/

    html = client.get(RECOVERY_CODES, follow=True).content.decode()

    assert "Doorgaan naar het beheer" in html
