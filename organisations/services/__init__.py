"""Workflows of registering, moderating and managing organisations, one module each.

Each is a function with keyword-only arguments that takes plain data (model instances,
strings, lists), runs in one transaction and sends its mail once that transaction has
committed, so nobody is told about a change that was rolled back. Callers import them from
here: ``from organisations import services`` then ``services.publish(...)``.
"""

from .claims import approve_claim, claimable, decline_claim, request_claim
from .contact import (
    pass_on_contact_message,
    report_contact_message,
    send_contact_message,
    through_staff,
)
from .errors import DomainError, OrganisationNameTaken
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
from .registration import confirm_current, register_organisation, resubmit, update_organisation

__all__ = [
    "INVITATION_MAX_AGE",
    "DomainError",
    "OrganisationNameTaken",
    "accept_invitation",
    "approve_claim",
    "archive",
    "claimable",
    "confirm_current",
    "decline_claim",
    "invitation_from_token",
    "invitation_token",
    "invite_editor",
    "make_owner",
    "pass_on_contact_message",
    "publish",
    "register_organisation",
    "reject",
    "remove_member",
    "report_contact_message",
    "request_claim",
    "resubmit",
    "send_contact_message",
    "step_down",
    "through_staff",
    "update_organisation",
    "withdraw_invitation",
]
