"""What the organisation workflows refuse; each message is for the user."""

from django.core.exceptions import ValidationError


class OrganisationNameTaken(ValidationError):
    """Another organisation with this name exists (perhaps registered a moment ago)."""


class WorkflowError(ValidationError):
    """A request that the current state does not allow; the message is for the user."""
