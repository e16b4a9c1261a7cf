from django import template

from .. import sections
from ..models import Membership

register = template.Library()


@register.inclusion_tag("organisations/includes/owner_actions.html", takes_context=True)
def profile_actions(context, organisation):
    """Edit/confirm/members for its members and staff; contact and claim for everyone else.

    Expects ``has_members`` annotated on the organisation (the profile view does); for a
    signed-in user, its ``viewer_role`` (their ``role_for`` it) and ``claim_sent`` (whether
    they already asked to claim it) when annotated too, else one query for each. None for a
    visitor.
    """
    user = context["request"].user
    signed_in = user.is_authenticated
    if signed_in and hasattr(organisation, "viewer_role"):
        role = organisation.viewer_role
    else:
        role = organisation.role_for(user)
    claimable = not organisation.has_members
    if not (claimable and signed_in):
        claim_sent = False
    elif hasattr(organisation, "claim_sent"):
        claim_sent = organisation.claim_sent
    else:
        claim_sent = organisation.claims.pending().filter(user=user).exists()
    return {
        "organisation": organisation,
        "can_edit": role is not None,
        "is_owner": role == Membership.Role.OWNER,
        "claimable": claimable,
        "claim_sent": claim_sent,
        "csrf_token": context.get("csrf_token"),
        "second_factor_offer": context.get("second_factor_offer"),
    }


@register.inclusion_tag("organisations/includes/follow.html", takes_context=True)
def follow_controls(context, kind, target, followable=None):
    """The controls the apps above add to follow ``target`` (``sections.FOLLOW``): an
    organisation, a network group, a partnership (``kind`` says which) or, for ``"search"``,
    the directory's current filters (the page's validated ``DirectoryFilter``, so that
    they are not validated again, or a query string). ``followable``: whether it may be
    followed, when the page already knows."""
    return {
        "sections": sections.FOLLOW,
        "follow_kind": kind,
        "follow_target": target,
        # A variable the page does not set comes as "": not known.
        "follow_followable": followable if isinstance(followable, bool) else None,
        "request": context.get("request"),
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def profile_relations(organisation):
    """Read the organisation's relations the profile shows (``sections.prefetch_profile``),
    where a fragment that shows them is rendered afresh; renders nothing."""
    sections.prefetch_profile(organisation)
    return ""
