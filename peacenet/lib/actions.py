"""The one shape of a POST action: run one workflow step, tell the user how it went, and go
back to the page the action was taken on."""

from django.contrib import messages
from django.shortcuts import redirect

from .errors import DomainError


def refused(request, error, to):
    """Show why a step was refused (a ``DomainError`` or a message) and redirect to ``to``."""
    messages.error(request, error.message if isinstance(error, DomainError) else str(error))
    return redirect(to)


def post_action(request, step, *, done, to):
    """Call ``step()`` (a service call). If the rules refuse it, show the ``DomainError``'s
    message; else show ``done`` (a message, or a function of the step's result that returns
    one). Either way, redirect to ``to`` (a model instance, URL name or path)."""
    try:
        result = step()
    except DomainError as error:
        return refused(request, error, to)
    messages.success(request, done(result) if callable(done) else done)
    return redirect(to)
