"""An organisation's own texts in the reader's language."""

from django import template

register = template.Library()


@register.filter
def in_reader_language(organisation, field):
    """``organisation|in_reader_language:"summary"``: the text in the reader's language,
    else the original; its ``foreign`` says to mark it with ``lang`` (``Organisation.text_in``)."""
    return organisation.text_in(field)
