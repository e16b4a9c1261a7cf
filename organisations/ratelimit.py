"""Rate limits for PeaceNet's own forms, counted in Django's (shared) cache.

Each attempt counts against the signed-in user and against the client's IP address; either
reaching its limit refuses the attempt until the period is over. The client's address is found
the way allauth finds it for its own limits (``ALLAUTH_TRUSTED_PROXY_COUNT`` behind a proxy).
"""

from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    action: str
    attempts: int
    period: int  # seconds


REGISTER = Limit("register", attempts=10, period=3600)
CLAIM = Limit("claim", attempts=5, period=3600)
CONTACT = Limit("contact", attempts=10, period=3600)
INVITE = Limit("invite", attempts=30, period=3600)


def _keys(request: HttpRequest, limit: Limit) -> list[str]:
    keys = [f"ratelimit:{limit.action}:ip:{get_adapter(request).get_client_ip(request)}"]
    if request.user.is_authenticated:
        keys.append(f"ratelimit:{limit.action}:user:{request.user.pk}")
    return keys


def hit(request: HttpRequest, limit: Limit) -> bool:
    """Count one attempt. False when the user or the IP address has used up its attempts."""
    allowed = True
    for key in _keys(request, limit):
        cache.add(key, 0, timeout=limit.period)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=limit.period)
            count = 1
        if count > limit.attempts:
            allowed = False
    return allowed
