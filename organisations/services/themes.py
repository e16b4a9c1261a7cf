"""The theme vocabulary: what registrants type, and what staff do with what it lacks.

Themes are a curated vocabulary kept by staff (``Theme``, named in every interface
language). What someone types on a form is read against every language's names, without
case or accents ("Jeugd", "jeunesse" and "youth" are one theme); a name the vocabulary lacks
becomes a ``ThemeSuggestion`` for staff, kept with the organisation or proposal it came
with. Staff add a suggestion to the vocabulary (then translate it) or map it onto a theme
it has; either way the entry it came with gets the theme, and the suggestion is gone.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from peacenet.lib.history import CHANGE, record

from ..models import Theme, ThemeSuggestion
from ..search import fold


def _by_folded_name():
    """Every theme under each of its names, folded (case and accents ignored)."""
    return {fold(name): theme for theme in Theme.objects.all() for name in theme.names()}


def find_theme(name):
    """The theme of the vocabulary called ``name`` in any language, or None."""
    return _by_folded_name().get(fold(name))


def resolve_themes(names):
    """``names`` (as typed) read against the vocabulary: the themes it has (in the order
    typed, no repeats) and the names it lacks (as typed, no repeats)."""
    known = _by_folded_name()
    themes, unknown, seen = [], [], set()
    for name in names:
        name = " ".join(str(name).split())[:100]
        key = fold(name)
        if not key or key in seen:
            continue
        seen.add(key)
        if key in known:
            if known[key] not in themes:
                themes.append(known[key])
        else:
            unknown.append(name)
    return themes, unknown


def suggestions_for(target):
    """The suggestions waiting for staff that came with ``target``."""
    return ThemeSuggestion.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )


def set_themes(*, target, names, by=None):
    """Give ``target`` (a saved organisation or proposal) the themes ``names`` call for;
    names outside the vocabulary wait as its suggestions for staff, replacing those it had.
    Returns the names suggested."""
    themes, unknown = resolve_themes(names)
    with transaction.atomic():
        target.themes.set(themes)
        waiting = suggestions_for(target)
        waiting.exclude(_named(unknown)).delete()
        have = {fold(name) for name in waiting.values_list("name", flat=True)}
        content_type = ContentType.objects.get_for_model(target)
        ThemeSuggestion.objects.bulk_create(
            [
                ThemeSuggestion(
                    name=name,
                    content_type=content_type,
                    object_id=target.pk,
                    suggested_by=by if by is not None and by.is_authenticated else None,
                )
                for name in unknown
                if fold(name) not in have
            ]
        )
    return unknown


def _named(names):
    condition = Q(pk__in=[])
    for name in names:
        condition |= Q(name__iexact=name)
    return condition


def _give(suggestion, theme, by):
    """Tag the entry ``suggestion`` came with with ``theme``; record it in its history."""
    target = suggestion.content_object
    if target is not None:
        target.themes.add(theme)
        if by is not None:
            record(
                user=by,
                obj=target,
                message=_("Theme “%(theme)s” added from the suggestion “%(name)s”.")
                % {"theme": theme.name, "name": suggestion.name},
                flag=CHANGE,
            )
    suggestion.delete()


def _locked(suggestions):
    """``suggestions`` (any QuerySet of them, joins and all) read with their rows locked."""
    return ThemeSuggestion.objects.select_for_update().filter(
        pk__in=list(suggestions.values_list("pk", flat=True))
    )


def map_suggestions(*, suggestions, theme, by):
    """The entries of ``suggestions`` get the existing ``theme`` instead; the suggestions
    are resolved. Returns how many were."""
    with transaction.atomic():
        done = 0
        for suggestion in _locked(suggestions):
            _give(suggestion, theme, by)
            done += 1
    return done


def accept_suggestions(*, suggestions, by):
    """Add each suggested name to the vocabulary (in English, to be translated by staff),
    or use the theme already called so in some language, and give it to the entries it
    came with. Returns the themes."""
    themes = []
    with transaction.atomic():
        known = _by_folded_name()
        for suggestion in _locked(suggestions):
            key = fold(suggestion.name)
            if key not in known:
                known[key] = Theme.objects.create(name_en=suggestion.name)
            if known[key] not in themes:
                themes.append(known[key])
            _give(suggestion, known[key], by)
    return themes
