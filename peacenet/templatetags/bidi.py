"""Keeping people's own text readable inside a sentence of another writing direction."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value):
    """``value`` isolated in ``<bdi>``: a Latin name, an email address, a URL or a phone number
    inside an Arabic sentence keeps its own order ("+31 70", not "70 +31"), and an Arabic name
    inside an English one. For values passed into ``{% blocktranslate with … %}``, whose
    translations then stay as they are."""
    if value in (None, ""):
        return value
    return format_html("<bdi>{}</bdi>", value)
