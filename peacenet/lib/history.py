"""What people did on the site, recorded in the admin's history (Django's ``LogEntry``).

Staff changes in the admin are recorded by the admin itself; actions taken on the public
site that staff must be able to trace (a facilitator posting to a network group, exporting
its member list) are recorded here, so they appear in the object's admin history with who
did it and when.
"""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

__all__ = ["ADDITION", "CHANGE", "record"]


def record(*, user, obj, message: str, flag: int = ADDITION) -> LogEntry:
    """Add ``message`` by ``user`` to ``obj``'s admin history (``ADDITION`` or ``CHANGE``)."""
    return LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=flag,
        change_message=message,
        single_object=True,
    )
