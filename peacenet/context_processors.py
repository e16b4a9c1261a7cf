import functools

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse, translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from organisations.models import Membership

from .lib.opendata import licence
from .lib.staff import has_staff_powers, needs_second_factor


def site(request):
    """What every page needs to build absolute links (canonical URLs, feeds, JSON-LD), and the
    licence the open data is published under, and how long staff typically take to review a
    new organisation."""
    return {
        "SITE_URL": settings.SITE_URL,
        "OPEN_DATA_LICENCE": SimpleLazyObject(licence),
        "REVIEW_DAYS": settings.REVIEW_DAYS,
    }


def staff(request):
    """Whether the user has staff powers now (``peacenet.lib.staff``), and for staff without
    them the way to their second factor: set one up, or enter it in this session. Both are
    worked out only when a template asks."""
    user = getattr(request, "user", None)
    return {
        "staff_powers": SimpleLazyObject(lambda: has_staff_powers(user)),
        "second_factor_offer": SimpleLazyObject(lambda: second_factor_offer(request)),
    }


def account(request):
    """Whether the signed-in user acts for no organisation yet (the navigation then invites
    them to register one). Worked out only when a template asks, and only for signed-in users:
    visitors' pages are cached and the same for everyone."""
    user = getattr(request, "user", None)
    return {"without_organisation": SimpleLazyObject(lambda: without_organisation(user))}


def without_organisation(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    # Read with the user by peacenet.backends; asked here only for a user signed in this request.
    acts = getattr(user, "acts_for_an_organisation", None)
    if acts is None:
        acts = Membership.objects.filter(user=user).exists()
    return not acts


def second_factor_offer(request):
    """For staff without staff powers in this session, where to get them (a link and its
    label); ``None`` for everyone else."""
    user = getattr(request, "user", None)
    if not needs_second_factor(user):
        return None
    if is_mfa_enabled(user):
        query = urlencode({"next": request.get_full_path()})
        return {
            "url": f"{reverse('mfa_reauthenticate')}?{query}",
            "label": _("Enter your second factor to use staff powers"),
        }
    return {
        "url": reverse("mfa_activate_totp"),
        "label": _("Set up a second factor to use staff powers"),
    }


def languages(request):
    """This page in every language (``language_versions``), for the ``hreflang`` alternates
    in the page's head (error pages leave them out). Empty for an address that is the same in
    every language. Worked out only when a template asks."""
    return {"language_versions": SimpleLazyObject(lambda: language_versions(request))}


def language_versions(request) -> list[dict]:
    if getattr(request, "resolver_match", None) is None:
        return []
    path, question, query = request.get_full_path().partition("?")
    current = get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        translated = _translated_path(path, current, code)
        if translated == path and code != current:
            return []  # an address that is the same in every language, not a page
        url = translated + question + query
        default = code == settings.LANGUAGE_CODE  # the plain address, for x-default
        versions.append({**get_language_info(code), "code": code, "url": url, "default": default})
    return versions


@functools.lru_cache(maxsize=4096)
def _translated_path(path, current, code):
    """``path`` (read in the ``current`` language) in ``code``: kept in the process, as the
    URL patterns change only with a deploy (or a test's settings), so a search's versions
    resolve no address."""
    return translate_url(path, code)


@receiver(setting_changed)
def _forget_translated_paths(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        _translated_path.cache_clear()
