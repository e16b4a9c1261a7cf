"""What is kept in every interface language (django-modeltranslation).

Each field named here gets one column per language on the same row (``name_en``,
``name_nl``, ``name_fr``, ``name_ar``), so pages read them without a join and the search
document can index each language (``organisations.search``). Reading the plain name
(``theme.name``) gives the reader's language, else English, the language staff write the
vocabulary in first.

An organisation's own texts are different: it writes them in one language of its choice
(``Organisation.language``) and may add others. Reading ``organisation.summary`` gives the
reader's language, else any other there is; pages that show the text use
``Organisation.text_in`` to show the original with its language when the reader's is
missing.
"""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from .models import Capacity, NetworkGroup, Organisation, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Capacity)
class CapacityTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(NetworkGroup)
class NetworkGroupTranslation(TranslationOptions):
    fields = ("name", "tagline", "description")
    required_languages = ("en",)


# The history keeps every language of the texts, as the organisation does.
@register([Organisation, Organisation.history.model])
class OrganisationTranslation(TranslationOptions):
    fields = ("summary", "description")
    fallback_languages = {"default": tuple(settings.MODELTRANSLATION_LANGUAGES)}
