"""Themes are django-taggit tags, shared by organisations and partnership proposals."""

from django.db.models import Count
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


def popular_themes(limit=20):
    """Themes already in use by organisations or proposals, most used first, to suggest on
    the forms."""
    return list(
        TaggedItem.objects.values("tag__name")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "tag__name")
        .values_list("tag__name", flat=True)[:limit]
    )
