"""PeaceNet's allauth adapter: account mail takes the same path as all other mail.

allauth renders its messages (``account/email/<name>_subject.txt``, ``_message.txt``) and
would send them inside the request; here they are rendered in the recipient's language and
handed to ``peacenet.lib.mail``, which delivers them through the task worker once the sign-up
or request has committed. A mail server that is down cannot break a sign-up.
"""

import time
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from .lib import mail
from .lib.links import absolute_url

# What a person types to sign in; either, moments ago, is as good as typing it again.
SIGN_IN_METHODS = {"password", "mfa"}


def signed_in_recently(request) -> bool:
    """Whether the current session signed in (password, or second factor) within allauth's
    re-authentication timeout (``ACCOUNT_REAUTHENTICATION_TIMEOUT``, five minutes)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    moments = [
        record["at"]
        for record in get_authentication_records(request, user)
        if record.get("method") in SIGN_IN_METHODS and "at" in record
    ]
    return bool(moments) and time.time() - max(moments) < account_settings.REAUTHENTICATION_TIMEOUT


def on_site(url: str) -> str:
    """``url`` on this site's own address (``SITE_URL``), whatever host the request used."""
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return mail.subject_line(subject)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        # Someone without an account yet is written to in the language they use the site in.
        ((address, language),) = mail.recipients(email, language=translation.get_language())
        with translation.override(language):
            message = self.render_mail(template_prefix, address, context)
        html = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"),
            "",
        )
        mail.enqueue(to=address, subject=message.subject, body=message.body, html=html)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site(super().get_reset_password_from_key_url(key))

    def save_user(self, request, user, form, commit=True):
        user.remember_language(translation.get_language())
        return super().save_user(request, user, form, commit)

    def login(self, request, user):
        user.remember_language(translation.get_language())
        return super().login(request, user)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """allauth asks for the password again before sensitive steps (setting up or removing
        an authenticator app) unless it was re-entered lately, and a password typed to sign in
        does not count for it: staff sent from signing in to set up their app were asked for it
        twice in a row. Signing in within the same few minutes counts as re-entering it;
        later, the step asks again as before."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        return self.request is None or not signed_in_recently(self.request)
