"""What the organisation workflows refuse: ``DomainError``, PeaceNet's one error for a request
the rules refuse (its message is for the user), and the one case callers handle apart."""

from peacenet.lib.errors import DomainError


class OrganisationNameTaken(DomainError):
    """Another organisation with this name exists (perhaps registered a moment ago)."""


__all__ = ["DomainError", "OrganisationNameTaken"]
