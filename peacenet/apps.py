from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PeacenetConfig(AppConfig):
    default = True
    name = "peacenet"
    verbose_name = _("PeaceNet")

    def ready(self):
        from . import proxies  # noqa: F401 -- registers the deploy check
        from .lib import caching

        caching.watch_readers()


class PeaceNetAdminConfig(admin_apps.AdminConfig):
    """The Django admin with PeaceNet's site, which requires two-factor authentication."""

    default = False
    default_site = "peacenet.admin_site.PeaceNetAdminSite"
