"""Addresses of a page in another language, for tests."""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def in_language(url: str, language: str) -> str:
    """The page at ``url`` (its plain, English address) in ``language``: ``/nl/…``, ``/fr/…``,
    ``/ar/…``. Resolved in English whatever language an earlier request left active."""
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(url, language)
