"""Who changed what, recorded in the admin's history (Django's ``LogEntry``).

This is the one place that records a change on the site with who made it. The admin records
what staff change through its own forms (``ModelAdmin.log_change``, inlines included); every
other change of an organisation (its profile, themes, groups and countries, moderation,
members, claims), a proposal (its status, participants and answers, deliverables, progress)
or an event (submission, registrations) goes through a service that calls :func:`record`.
So an object's "History" page in the admin lists every change, each with the person who made
it, and nothing else: no second history to keep in step.

Messages are stored in the site's language (``LANGUAGE_CODE``), whatever language the
person acting used, so staff read one history: pass a lazy string (``gettext_lazy``) and its
``values``. A message about changed fields (:func:`changed_fields`) is the admin's own, and
the history page shows it in the reader's language.
"""

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation

__all__ = ["ADDITION", "CHANGE", "DELETION", "changed_fields", "record"]


def record(*, user, obj, message, values=None, note="", flag: int = ADDITION) -> LogEntry:
    """Add ``message`` (with ``values`` filled in, then what the person wrote with it, their
    ``note``) by ``user`` to ``obj``'s admin history, as an ``ADDITION``, ``CHANGE`` or
    ``DELETION``."""
    if isinstance(message, list):  # the admin's own structured message (changed_fields)
        text = message
    else:
        with translation.override(settings.LANGUAGE_CODE):
            text = str(message) if values is None else str(message) % values
        text = f"{text} {note.strip()}".strip()
    return LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=flag,
        change_message=text,
        single_object=True,
    )


def changed_fields(obj, names) -> list:
    """The admin's message for a change of ``obj``'s fields ``names`` ("Changed summary and
    themes."), which its history page shows in the reader's language."""
    labels = []
    with translation.override(None):
        for name in names:
            try:
                labels.append(str(obj._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                labels.append(name)
    return [{"changed": {"fields": labels}}]
