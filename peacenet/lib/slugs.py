"""Slugs for the addresses of organisations and proposals."""

from django.utils.text import slugify


def unique_slug(text: str, *, queryset, fallback: str, reserved=frozenset(), max_length=200):
    """A slug of ``text`` that no row of ``queryset`` has and that is not ``reserved``:
    ``name``, else ``name-2``, ``name-3`` and so on. ``fallback`` stands in for text that
    has no letters a slug can keep. The database's unique constraint stays the guarantee: a
    caller saving the slug handles the rare race for the same one."""
    base = slugify(text)[:max_length] or fallback
    slug, number = base, 2
    while slug in reserved or queryset.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
