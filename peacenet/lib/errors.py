"""The one kind of error a workflow raises when PeaceNet's rules refuse a request.

Services raise ``DomainError`` (or a subclass naming a case a caller handles on its own, such
as ``OrganisationNameTaken``) with a message for the person who tried; views show
``error.message`` — as a form error, or as a message after a POST action
(``peacenet.lib.actions``). Acting for an organisation one may not act for is a
``PermissionDenied`` instead: a 403, not a message.
"""


class DomainError(Exception):
    """A request that the rules refuse; ``message`` (also ``str()``) is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
