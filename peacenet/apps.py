from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PeacenetConfig(AppConfig):
    default = True
    name = "peacenet"
    verbose_name = _("PeaceNet")

    def ready(self):
        from django.db.models import fields

        from . import proxies  # noqa: F401 -- registers the deploy check

        # Django 6.1's label for an empty choice has no Dutch translation in Django itself;
        # naming it here puts it in PeaceNet's catalogue, which translates it.
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")


class PeaceNetAdminConfig(admin_apps.AdminConfig):
    """The Django admin with PeaceNet's site, which requires two-factor authentication."""

    default = False
    default_site = "peacenet.admin_site.PeaceNetAdminSite"
