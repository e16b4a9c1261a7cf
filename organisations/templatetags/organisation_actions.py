from django import template

from ..models import Membership

register = template.Library()


@register.inclusion_tag("organisations/_owner_actions.html", takes_context=True)
def profile_actions(context, organisation):
    """Edit/confirm/members for its members and staff; contact and claim for everyone else.

    One query: the organisation's memberships as (user id, role) pairs.
    """
    user = context["request"].user
    roles = dict(organisation.memberships.values_list("user_id", "role"))
    role = roles.get(user.pk) if user.is_authenticated else None
    return {
        "organisation": organisation,
        "can_edit": user.is_authenticated and (user.is_staff or role is not None),
        "is_owner": user.is_authenticated and (user.is_staff or role == Membership.Role.OWNER),
        "claimable": not roles,
        "csrf_token": context.get("csrf_token"),
    }
