"""Workflows of registering, moderating and managing organisations, one module each.

Each is a function with keyword-only arguments that takes plain data (model instances,
strings, lists), runs in one transaction and sends its mail once that transaction has
committed, so nobody is told about a change that was rolled back. Callers import them from
here: ``from organisations import services`` then ``services.publish(...)``.
"""

from .claims import approve_claim, claimable, decline_claim, request_claim
from .confirmation import (
    LINK_MAX_AGE_DAYS,
    LinkProblem,
    ask_to_confirm,
    check_link,
    confirm_by_link,
    confirmation_token,
    reminder_from_token,
    send_reminders,
)
from .contact import (
    pass_on_contact_message,
    report_contact_message,
    send_contact_message,
    through_staff,
)
from .errors import DomainError, OrganisationNameTaken
from .groups import export_group_members, post_announcement
from .members import (
    INVITATION_MAX_AGE,
    accept_invitation,
    invitation_from_token,
    invitation_token,
    invite_editor,
    make_owner,
    remove_member,
    step_down,
    withdraw_invitation,
)
from .moderation import archive, publish, reject
from .registration import (
    confirm_current,
    move_address,
    register_organisation,
    resubmit,
    update_organisation,
)
from .themes import (
    accept_suggestions,
    find_theme,
    map_suggestions,
    resolve_themes,
    set_themes,
    suggestions_for,
)

__all__ = [
    "INVITATION_MAX_AGE",
    "LINK_MAX_AGE_DAYS",
    "DomainError",
    "LinkProblem",
    "OrganisationNameTaken",
    "accept_invitation",
    "accept_suggestions",
    "approve_claim",
    "archive",
    "ask_to_confirm",
    "check_link",
    "claimable",
    "confirm_by_link",
    "confirm_current",
    "confirmation_token",
    "decline_claim",
    "export_group_members",
    "find_theme",
    "invitation_from_token",
    "invitation_token",
    "invite_editor",
    "make_owner",
    "map_suggestions",
    "move_address",
    "pass_on_contact_message",
    "post_announcement",
    "publish",
    "register_organisation",
    "reject",
    "reminder_from_token",
    "remove_member",
    "report_contact_message",
    "request_claim",
    "resolve_themes",
    "resubmit",
    "send_contact_message",
    "send_reminders",
    "set_themes",
    "step_down",
    "suggestions_for",
    "through_staff",
    "update_organisation",
    "withdraw_invitation",
]
