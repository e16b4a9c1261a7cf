"""Themes are django-taggit tags, shared by organisations and partnership proposals."""

from django.db.models import Count, Q
from taggit.models import Tag, TaggedItem

# How to find the rows of each tagged model that anyone may see (published organisations,
# public proposals): each app registers its own in ``AppConfig.ready()``, so that themes used
# only by unpublished rows are never offered in public.
_public_rows = []


def register_public_rows(rows):
    """``rows()`` is a QuerySet of the rows of one tagged model that anyone may see."""
    if rows not in _public_rows:
        _public_rows.append(rows)


def tagged_items(model, **filters):
    """The tag links of ``model``'s rows, narrowed by ``filters`` (for example
    ``tag__slug="youth"``), to count or use as a subquery. It joins the content type rather
    than looking it up, so it costs no query of its own."""
    return TaggedItem.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        **filters,
    )


def themes_of(queryset):
    """The themes used by the rows of ``queryset``, by name."""
    return Tag.objects.filter(
        pk__in=tagged_items(queryset.model, object_id__in=queryset.values("pk")).values("tag_id")
    ).order_by("name")


def public_tagged_items():
    """The tag links of every row anyone may see."""
    visible = Q(pk__in=[])
    for rows in _public_rows:
        queryset = rows()
        visible |= Q(pk__in=tagged_items(queryset.model, object_id__in=queryset.values("pk")))
    return TaggedItem.objects.filter(visible)


def popular_themes(limit=20):
    """Themes already in use by published organisations or public proposals, most used
    first, to suggest on the forms."""
    return list(
        public_tagged_items()
        .values("tag__name")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "tag__name")
        .values_list("tag__name", flat=True)[:limit]
    )
