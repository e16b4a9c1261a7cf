"""Signing in test clients the way PeaceNet's accounts work (allauth, two-factor for staff)."""

import time

import time_machine
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from peacenet.lib.staff import mark_second_factor

_USER_KEY = "account_authentication_methods_user"


def current_totp_code(secret):
    """The authenticator app's code for ``secret`` now, as a person would type it.

    PeaceNet accepts no codes from other 30-second windows, so on a running clock a code could
    expire before the server checks it. The test freezes the clock instead
    (``tests.clock.frozen_clock``); the server, a live server included, runs in the test's
    process and checks the code at the same frozen moment.
    """
    if not time_machine.escape_hatch.is_travelling():
        raise RuntimeError("Freeze the clock (tests.clock.frozen_clock) to use a TOTP code.")
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def sign_in_with_mfa(client, user):
    """Sign ``client`` in as ``user`` as if they entered their password and a TOTP code.

    The admin requires a second factor in the session (``peacenet.admin_site``); allauth
    records how a session authenticated, and this writes that record.
    """
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_USER_KEY] = str(user.pk)
    session.save()
    return client


def sign_in_with_password(client, user):
    """Sign ``client`` in as ``user`` as if they entered their password and nothing else."""
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
    ]
    session[_USER_KEY] = str(user.pk)
    session.save()
    return client


def with_second_factor(user):
    """``user`` as a request of a session that completed its second factor would carry it,
    for calling models and services directly (``peacenet.lib.staff``)."""
    mark_second_factor(user, completed=True)
    return user


ROLES = ["owner", "editor", "other_member", "anonymous", "staff"]
# Staff who signed in with their password only: a plain member everywhere (peacenet.lib.staff).
STAFF_WITHOUT_MFA = "staff_without_mfa"


def client_as(client, role, organisation):
    """Sign ``client`` in as someone with ``role`` towards ``organisation``.

    ``owner`` and ``editor`` are members of the organisation, ``other_member`` owns a different
    organisation, ``staff`` is an administrator (with two-factor), ``staff_without_mfa`` an
    administrator whose session used the password alone, ``anonymous`` is nobody.
    The user is available as ``client.user`` (None when anonymous).
    """
    from organisations.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    client.user = None
    if role == "anonymous":
        return client
    if role == "staff":
        user = UserFactory(is_staff=True)
        sign_in_with_mfa(client, user)
        client.user = user
        return client
    if role == STAFF_WITHOUT_MFA:
        user = UserFactory(is_staff=True)
        sign_in_with_password(client, user)
        client.user = user
        return client
    user = UserFactory()
    if role == "owner":
        MembershipFactory(user=user, organisation=organisation, role=Membership.Role.OWNER)
    elif role == "editor":
        MembershipFactory(user=user, organisation=organisation, role=Membership.Role.EDITOR)
    elif role == "other_member":
        MembershipFactory(user=user, role=Membership.Role.OWNER)
    else:
        raise ValueError(role)
    client.force_login(user)
    client.user = user
    return client
