"""Request middleware of the project."""

from functools import partial

from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.http import HttpResponseRedirect
from django.middleware import locale
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject

from .admin_site import session_used_mfa
from .lib.caching import reader_acted
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


class ReaderActedMiddleware:
    """After a signed-in member sends anything but a GET or HEAD, the pages cached for them
    (``peacenet.lib.caching``) are out of date: what they did may show on any of them. Goes
    after ``StaffPowersMiddleware``; a sign-in counts for the member it signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                reader_acted(user.pk)
        return response


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, with a first visit sent to the language its browser asks for.

    A page's language is in its address: English at the plain address, the others under
    ``/nl/``, ``/fr/``, ``/ar/`` (``i18n_patterns`` in ``peacenet/urls.py``). A GET of a plain
    address by someone who chose another language with the switch (its cookie), or who never
    chose and whose browser prefers one of ours (``Accept-Language``), is redirected to the
    same page under that language's prefix. Someone who chose English stays."""

    def process_request(self, request):
        super().process_request(request)
        if request.method not in ("GET", "HEAD"):
            return None
        if translation.get_language_from_path(request.path_info):
            return None
        language = translation.get_language_from_request(request, check_path=False)
        if language == settings.LANGUAGE_CODE:
            return None
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        with translation.override(language):  # the prefix that resolves is the active one's
            if not is_valid_path(f"/{language}{request.path_info}", urlconf):
                return None  # not a page (robots.txt, the sitemap) or not one we have
        script_prefix = get_script_prefix()
        prefixed = request.get_full_path().replace(script_prefix, f"{script_prefix}{language}/", 1)
        return HttpResponseRedirect(prefixed)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not translation.get_language_from_path(request.path_info):
            # Whether a plain address redirects depends on the language cookie too.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
