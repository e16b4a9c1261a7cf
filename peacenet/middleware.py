"""Request middleware of the project."""

from functools import partial

from django.contrib.auth.middleware import get_user
from django.utils.functional import SimpleLazyObject

from .admin_site import session_used_mfa
from .lib.staff import mark_second_factor


def _user_of(request):
    user = get_user(request)
    mark_second_factor(user, completed=session_used_mfa(request, user))
    return user


class StaffPowersMiddleware:
    """Marks ``request.user`` with whether this session completed a second factor, which
    ``peacenet.lib.staff.has_staff_powers`` reads. The user stays lazy: a request that never
    looks at it costs nothing. Goes right after Django's ``AuthenticationMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(partial(_user_of, request))
        return self.get_response(request)
