"""PeaceNet's addresses: full ones for mails, feeds, calendars and search engines, and those
reversed once per process (``reversed_once``)."""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def absolute_url(path: str) -> str:
    """The full address of ``path`` (``/organisations/…``) on this site (``SITE_URL``). An
    address that is already full (a file in the object store) is returned as it is."""
    if urlsplit(path).scheme:
        return path
    return settings.SITE_URL + path


def admin_change_url(obj) -> str:
    """The full address of ``obj``'s page in the admin, for mails to staff."""
    meta = obj._meta
    return absolute_url(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))


def reversed_once(view_name: str, *, current_app=None, slug=None) -> str:
    """``reverse(view_name)``, or with ``kwargs={"slug": slug}``, kept per process under the
    name, the application namespace asked for, the slug, the active language
    (``i18n_patterns``), the script prefix and the URLconf: everything ``reverse`` reads for
    such an address. Each ``reverse`` costs some 30 µs on the slower machine, and every page
    names a dozen addresses without arguments (``{% url %}``) and a directory page twenty
    profiles (``slugs.slug_address``). A change of the URL settings (a test's) forgets them."""
    return _reversed(
        view_name, current_app, slug, get_language(), get_script_prefix(), get_urlconf()
    )


@functools.lru_cache(maxsize=1024)
def _reversed(view_name, current_app, slug, language, script_prefix, urlconf):
    kwargs = None if slug is None else {"slug": slug}
    return reverse(view_name, current_app=current_app, kwargs=kwargs)


@receiver(setting_changed)
def _forget_addresses(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"}:
        _reversed.cache_clear()
