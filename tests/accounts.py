"""Signing in test clients the way PeaceNet's accounts work (allauth, two-factor for staff)."""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

_USER_KEY = "account_authentication_methods_user"


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


ROLES = ["owner", "editor", "other_member", "anonymous", "staff"]


def client_as(client, role, organisation):
    """Sign ``client`` in as someone with ``role`` towards ``organisation``.

    ``owner`` and ``editor`` are members of the organisation, ``other_member`` owns a different
    organisation, ``staff`` is an administrator (with two-factor), ``anonymous`` is nobody.
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
