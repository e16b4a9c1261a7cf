"""An HTTPS client through the stack's nginx, shared by the stack tests and bench/load.py."""

import os
from urllib.parse import urlsplit

import requests
from django.conf import settings


class Browser:
    """A person's HTTPS client through nginx, verifying the stack's certificate and sending
    the session cookie, the CSRF token and the Referer the way a browser does."""

    def __init__(self, base=None):
        self.site = os.environ["STACK_URL"]
        self.base = base or self.site
        self.session = requests.Session()
        # Through STACK_URL_A or _B too, requests are addressed to the site itself: the
        # same Host (allauth keys lockouts by it) and a Referer from the site's own pages.
        self.session.headers["Host"] = urlsplit(self.site).netloc
        # Per request: a session-wide setting loses to REQUESTS_CA_BUNDLE in the environment.
        self.verify = os.environ["STACK_CA_CERT"]

    def get(self, path, *, base=None, **kwargs):
        return self.session.get(
            (base or self.base) + path, verify=self.verify, timeout=30, **kwargs
        )

    def post(self, path, data=None, *, base=None, files=None):
        base = base or self.base
        if settings.CSRF_COOKIE_NAME not in self.session.cookies:
            self.get(path, base=base)
        data = {
            **(data or {}),
            "csrfmiddlewaretoken": self.session.cookies[settings.CSRF_COOKIE_NAME],
        }
        return self.session.post(
            base + path,
            data=data,
            files=files,
            headers={"Referer": self.site + path},
            allow_redirects=False,
            verify=self.verify,
            timeout=30,
        )

    def sign_in(self, email, password, *, base=None):
        return self.post("/accounts/login/", {"login": email, "password": password}, base=base)
