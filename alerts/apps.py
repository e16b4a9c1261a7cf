from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self):
        from organisations import sections

        # The follow button on profiles, network groups, partnerships and the directory.
        sections.FOLLOW.add(id="follow", template="alerts/includes/follow.html")
