from django import template

from organisations.filters import search_query

from ..models import TARGET_FIELDS, Follow, FollowKind
from ..services import is_followable

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context):
    """What the follow control shows for ``follow_kind`` / ``follow_target`` in the context:
    whether it may be followed, and the signed-in person's follow of it (one query)."""
    kind = FollowKind(context["follow_kind"])
    target = context["follow_target"]
    followable = context.get("follow_followable")
    if followable is None:
        followable = is_followable(kind, target)
    if kind == FollowKind.SEARCH and not isinstance(target, str):
        # The directory's validated filters (or a ``QueryDict``): the search they make.
        target = search_query(getattr(target, "data", target))
    state = {
        "kind": kind,
        "target": target,
        "slug": getattr(target, "slug", ""),
        "query": target if kind == FollowKind.SEARCH else "",
        "followable": followable,
        "follow": None,
    }
    user = context.get("user")
    # Read with the user by peacenet.backends: most people follow nothing.
    follows_anything = getattr(user, "follows_anything", True)
    if state["followable"] and user is not None and user.is_authenticated and follows_anything:
        lookup = {"query": target} if kind == FollowKind.SEARCH else {TARGET_FIELDS[kind]: target}
        state["follow"] = Follow.objects.filter(user=user, kind=kind, **lookup).first()
    return state
