from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from django.apps import apps

        from peacenet.lib import caching

        from .facets import keep_facet_values_up_to_date
        from .models import Organisation
        from .themes import register_public_rows

        keep_facet_values_up_to_date()

        # The public pages show organisations, network groups, capacities and themes
        # (taggit's tags, which organisations own and proposals share).
        caching.register_content(*self.get_models(include_auto_created=True))
        caching.register_content(
            *apps.get_app_config("taggit").get_models(include_auto_created=True)
        )
        # Themes that only unpublished organisations use are never offered in public.
        register_public_rows(Organisation.objects.published)
