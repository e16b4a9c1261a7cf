from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from organisations import sections
        from peacenet.lib import caching, digests

        from .digests import events_in_groups

        caching.register_content(*self.get_models(include_auto_created=True))
        sections.PROFILE.add(
            id="events",
            heading=_("Events"),
            template="events/includes/organisation_events.html",
            order=20,
        )
        digests.SOURCES.add(
            id="events",
            heading=_("New events in your network groups"),
            order=30,
            items=events_in_groups,
        )
        sections.GROUP.add(
            id="events",
            heading=_("Events"),
            template="events/includes/group_events.html",
            order=10,
            # Read by the group_events tag.
            prefetch=lambda: ["events", "sessions__event"],
        )
