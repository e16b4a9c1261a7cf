"""Security state lives apart from the page cache: visitors filling the page cache with
addresses of their choosing cannot push out a login lockout or a used one-time code."""

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
DATABASE = "django.core.cache.backends.db.DatabaseCache"
PAGE_CACHE_ROOM = 10
FLOOD = 30  # distinct addresses, each a new page (and counts) in the page cache
# One fixed moment for the authenticator app, the server and the caches' expiry: the used code
# is still valid when it is replayed, however long the flood takes.
INSTANT = datetime.datetime(2026, 11, 20, 10, 0, 5, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(INSTANT, tick=False):
        yield


@pytest.fixture(params=[LOCMEM, DATABASE], ids=["memory", "database"])
def small_page_cache(request, settings):
    """The production arrangement with a page cache that holds only a few entries."""
    backend = request.param
    settings.CACHES = {
        "default": {"BACKEND": backend, "LOCATION": "security_cache_for_test"},
        "pages": {
            "BACKEND": backend,
            "LOCATION": "page_cache_for_test",
            "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_ROOM},
        },
    }
    if backend == DATABASE:
        call_command("createcachetable", verbosity=0)


def flood_the_page_cache():
    visitor = Client()
    for number in range(FLOOD):
        response = visitor.get(reverse("organisations:directory"), {"city": f"Flood {number}"})
        assert response.status_code == 200


def verified_user():
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, user, code=None):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    if code is not None:
        response = client.post(reverse("mfa_authenticate"), {"code": code})
    return response


def is_signed_in(client):
    return client.get(reverse("dashboard")).status_code == 200


def test_a_login_lockout_holds_after_the_page_cache_overflows(client, small_page_cache):
    user = verified_user()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})

    flood_the_page_cache()
    response = sign_in(client, user)

    assert "Too many failed login attempts" in response.content.decode()
    assert not is_signed_in(client)


def test_a_used_totp_code_stays_used_after_the_page_cache_overflows(small_page_cache):
    user = verified_user()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    code = format_hotp_value(hotp_value(secret, int(INSTANT.timestamp()) // 30))
    first, replaying = Client(), Client()
    sign_in(first, user, code)
    assert is_signed_in(first)

    flood_the_page_cache()
    response = sign_in(replaying, user, code)

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not is_signed_in(replaying)
