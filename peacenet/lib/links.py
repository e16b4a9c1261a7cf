"""Full addresses of PeaceNet's pages, for mails, feeds, calendars and search engines."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse


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
