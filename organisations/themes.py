"""Themes are django-taggit tags, shared by organisations and partnership proposals."""

from taggit.models import TaggedItem


def tagged_items(model, **filters):
    """The tag links of ``model``'s rows, narrowed by ``filters`` (for example
    ``tag__slug="youth"``), to count or use as a subquery. It joins the content type rather
    than looking it up, so it costs no query of its own."""
    return TaggedItem.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        **filters,
    )
