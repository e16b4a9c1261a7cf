"""Themes: the curated vocabulary (``Theme``, taggit's custom tag model, its names in every
interface language) that organisations and partnership proposals are tagged with."""

from django.db.models import Count, Q

from .models import Theme, ThemedItem

# How to find the rows of each tagged model that anyone may see (published organisations,
# public proposals): each app registers its own in ``AppConfig.ready()``, so that themes used
# only by unpublished rows are never offered in public.
_public_rows = []


def register_public_rows(rows):
    """``rows()`` is a QuerySet of the rows of one tagged model that anyone may see."""
    if rows not in _public_rows:
        _public_rows.append(rows)


def tagged_items(model, *conditions, **filters):
    """The tag links of ``model``'s rows, narrowed by ``conditions`` and ``filters`` (for
    example ``tag__slug="youth"``), to count or use as a subquery. It joins the content type
    rather than looking it up, so it costs no query of its own."""
    return ThemedItem.objects.filter(
        *conditions,
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        **filters,
    )


def themes_of(queryset):
    """The themes used by the rows of ``queryset``, by name."""
    return Theme.objects.filter(
        pk__in=tagged_items(queryset.model, object_id__in=queryset.values("pk")).values("tag_id")
    ).order_by("name")


def public_tagged_items():
    """The tag links of every row anyone may see."""
    visible = Q(pk__in=[])
    for rows in _public_rows:
        queryset = rows()
        visible |= Q(pk__in=tagged_items(queryset.model, object_id__in=queryset.values("pk")))
    return ThemedItem.objects.filter(visible)


def popular_themes(limit=20):
    """Themes already in use by published organisations or public proposals, most used
    first, to suggest on the forms."""
    used = Theme.objects.filter(items__in=public_tagged_items()).annotate(uses=Count("items"))
    return [theme.name for theme in used.order_by("-uses", "name_en")[:limit]]
