"""Slugs for the addresses of organisations and proposals, and those addresses."""

import functools
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .links import reversed_once

# Where a fixed word of a route ends: the next "/" or a file extension (``export.csv``).
WORD_END = re.compile(r"[/.]")


def _routes(patterns, prefix=""):
    """The full route text of every URL pattern, with converters left in (``<slug:slug>``)."""
    for pattern in patterns:
        route = str(pattern.pattern).removeprefix("^").removesuffix("$").replace("\\", "")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield prefix + route


@functools.cache
def _reserved_under(path: str, urlconf: str) -> frozenset[str]:
    words = set()
    for route in _routes(get_resolver(urlconf).url_patterns):
        if route.startswith(path) and not route.startswith(path + "<"):
            word = WORD_END.split(route[len(path) :], maxsplit=1)[0]
            if word and "<" not in word and "(" not in word:
                words.add(word)
    return frozenset(words)


def reserved_under(path: str, *, urlconf: str | None = None) -> frozenset[str]:
    """The words that a slug placed right under ``path`` (``/organisations/``) must not be,
    because a fixed address there begins with them: ``register`` for
    ``/organisations/register/``, ``export`` for ``/organisations/export.csv``. Read from
    the URL patterns, so a new fixed address is reserved as soon as it exists."""
    return _reserved_under(path.lstrip("/"), urlconf or settings.ROOT_URLCONF)


def unique_slug(text: str, *, queryset, fallback: str, under: str, max_length=200, also_taken=()):
    """A slug of ``text`` for an address right under ``under`` (``/organisations/``) that no
    row of ``queryset`` (nor of the querysets ``also_taken``, such as addresses that still
    redirect somewhere) has and that no fixed address there begins with: ``name``, else
    ``name-2``, ``name-3`` and so on. ``fallback`` stands in for text that has no letters a
    slug can keep. The database's unique constraint stays the guarantee: a caller saving the
    slug handles the rare race for the same one."""
    reserved = reserved_under(under)
    base = slugify(text)[:max_length] or fallback
    slug, number = base, 2
    while slug in reserved or any(
        rows.filter(slug=slug).exists() for rows in (queryset, *also_taken)
    ):
        slug, number = f"{base}-{number}", number + 1
    return slug


def check_not_reserved(slug: str, *, under: str) -> None:
    """Refuse a slug that a fixed address under ``under`` begins with (for slugs typed by
    staff in the admin)."""
    if slug in reserved_under(under):
        raise ValidationError(
            _("This slug is reserved; please choose another."), code="reserved_slug"
        )


class ReservedSlugForm(forms.ModelForm):
    """A model form whose ``slug`` may not shadow a fixed address right under the page named
    ``slug_under`` (a URL name such as ``organisations:directory``)."""

    slug_under = ""

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        check_not_reserved(slug, under=reverse(self.slug_under))
        return slug


# A slug as Django's ``slug`` converter takes it: ``reverse`` leaves it as it is in a path.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# Stands for the slug while an address is reversed once (``slug_address``).
SLUG_PLACEHOLDER = "--slug--"


def slug_address(view_name: str, slug: str) -> str:
    """The address of the page ``view_name`` for ``slug`` (``reverse(view_name, kwargs={"slug":
    slug})``): the address around the slug is reversed once (``links.reversed_once``, for a
    placeholder slug) and the slug put in. A slug that the ``slug`` converter would not take
    goes through ``reverse``, which says so."""
    if not SLUG.fullmatch(slug):
        return reverse(view_name, kwargs={"slug": slug})
    start, end = reversed_once(view_name, slug=SLUG_PLACEHOLDER).split(SLUG_PLACEHOLDER)
    return f"{start}{slug}{end}"
