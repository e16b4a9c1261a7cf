from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from peacenet.lib import caching, digests

        from . import digests as sources
        from . import exports
        from .facets import keep_facet_values_up_to_date
        from .models import Organisation
        from .themes import register_public_rows

        keep_facet_values_up_to_date()

        # The public pages show organisations, network groups, capacities and themes
        # (the vocabulary, which organisations own and proposals share).
        caching.register_content(*self.get_models(include_auto_created=True))
        # The full exports anyone downloads are prepared again after every change.
        caching.generation_changed.connect(
            exports.prepare_after_change, dispatch_uid="organisations.exports"
        )
        # Themes that only unpublished organisations use are never offered in public.
        register_public_rows(Organisation.objects.published)
        digests.SOURCES.add(
            id="new_organisations",
            heading=_("New organisations matching your searches"),
            order=10,
            items=sources.matching_searches,
        )
        digests.SOURCES.add(
            id="announcements",
            heading=_("Announcements in your network groups"),
            order=25,
            items=sources.group_announcements,
        )
        digests.SOURCES.add(
            id="organisations",
            heading=_("Organisations you follow"),
            order=60,
            items=sources.followed_organisations,
        )
