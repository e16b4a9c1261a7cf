from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeacenetConfig(AppConfig):
    name = "peacenet"
    verbose_name = _("PeaceNet")
