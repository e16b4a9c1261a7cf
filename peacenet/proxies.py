"""Telling a deployment that forgot ``TRUSTED_PROXY_COUNT`` behind a reverse proxy.

Behind a proxy every request comes from the proxy's address; unless ``TRUSTED_PROXY_COUNT``
says how many proxies to skip in ``X-Forwarded-For``, every per-address rate limit and
lockout counts the whole site as one visitor. ``manage.py check --deploy`` warns when the
settings say a proxy is in front but the count is 0, and the first request that arrives with
``X-Forwarded-For`` while the count is 0 is logged once.
"""

import logging

from django.conf import settings
from django.core import checks

logger = logging.getLogger(__name__)

FORGOTTEN_COUNT = (
    "TRUSTED_PROXY_COUNT is 0 but PeaceNet sits behind a proxy: rate limits and lockouts "
    "per IP address see the proxy's address and count the whole site as one visitor."
)


def behind_a_proxy() -> bool:
    """Whether the settings expect a reverse proxy in front of PeaceNet."""
    return bool(
        getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        or getattr(settings, "USE_X_FORWARDED_HOST", False)
        or getattr(settings, "USE_X_FORWARDED_PORT", False)
    )


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxy_count(app_configs=None, **kwargs):
    if settings.ALLAUTH_TRUSTED_PROXY_COUNT or not behind_a_proxy():
        return []
    return [
        checks.Warning(
            FORGOTTEN_COUNT,
            hint=(
                "Set TRUSTED_PROXY_COUNT to the number of reverse proxies in front of the app "
                "servers (1 behind one nginx). If clients really connect to gunicorn directly, "
                "add peacenet.W001 to SILENCED_SYSTEM_CHECKS."
            ),
            id="peacenet.W001",
        )
    ]


class ForwardedForWithoutProxyCount:
    """Log once, the first time a request carries ``X-Forwarded-For`` while
    ``TRUSTED_PROXY_COUNT`` is 0."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.warned = False

    def __call__(self, request):
        if (
            not self.warned
            and "HTTP_X_FORWARDED_FOR" in request.META
            and not settings.ALLAUTH_TRUSTED_PROXY_COUNT
        ):
            self.warned = True
            logger.warning(
                "%s Requests carry X-Forwarded-For; set TRUSTED_PROXY_COUNT to the number of "
                "proxies in front of the app servers. (Logged once.)",
                FORGOTTEN_COUNT,
            )
        return self.get_response(request)
