"""schema.org data for search engines, embedded in a page as JSON-LD."""

from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe


def json_ld_script(data: dict) -> SafeString:
    """``data`` as a ``<script type="application/ld+json">`` element."""
    # json_script escapes <, > and & so the data cannot close the script element.
    script = json_script(data).replace('type="application/json"', 'type="application/ld+json"', 1)
    return mark_safe(script)  # noqa: S308 -- json_script escaped the data
