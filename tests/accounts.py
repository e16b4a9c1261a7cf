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
