"""PeaceNet's mail: the one path every message takes out of the portal.

``send(template=..., to=..., context=...)`` renders a template pair once for each recipient,
in that recipient's language:

- ``<template>_subject.txt``: the subject, plain text (never HTML-escaped), on one line, after
  the ``[PeaceNet]`` prefix;
- ``<template>.txt``: the plain-text body, not HTML-escaped either;
- ``<template>.html``: an HTML alternative, only if that template exists.

Every template sees ``SITE_URL``, so links are built as ``{{ SITE_URL }}{% url ... %}`` or
``{{ SITE_URL }}{{ object.get_absolute_url }}``. A recipient is a user (their
``preferred_language``) or a bare address (the language of the user with that address, else
``language=`` or the site's default).

Each message is enqueued as a ``deliver`` task once the current transaction commits, so
nobody is told about a change that was rolled back and a request never waits for, or fails
because of, the mail server. The task worker (``manage.py db_worker``) delivers it; a failed
delivery is recorded as a failed task result, visible to staff in the admin, and tried again
later with a growing delay (the ``MAIL_RETRY_DELAYS`` setting), until it is given up.

This module is part of the leaf library: it imports no app.
"""

import logging
import smtplib
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models.functions import Lower
from django.tasks import task
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[PeaceNet] "


def send(
    *,
    template: str,
    to,
    context: dict | None = None,
    language: str | None = None,
    reply_to: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Mail ``template`` to each recipient in ``to`` (a user, an address or a list of both)
    once the transaction commits: one message per recipient, in their language. ``headers``
    are added to each message (``List-Unsubscribe`` for a digest)."""
    for address, recipient_language in recipients(to, language=language):
        with translation.override(recipient_language):
            subject, body, html = render(template=template, context=context or {})
        enqueue(
            to=address,
            subject=subject,
            body=body,
            html=html,
            reply_to=reply_to,
            headers=headers,
        )


def recipients(to, *, language: str | None = None) -> list[tuple[str, str]]:
    """Each distinct address in ``to``, in order, with the language to write to it in."""
    if isinstance(to, str) or not isinstance(to, Iterable):
        to = [to]
    wanted = [
        (recipient.strip(), None) if isinstance(recipient, str) else (recipient.email, recipient)
        for recipient in to
    ]
    bare = {address.lower() for address, user in wanted if user is None and address}
    known = {}
    if bare:
        users = get_user_model().objects.annotate(address=Lower("email"))
        known = {user.address: user for user in users.filter(address__in=bare)}
    default = language or settings.LANGUAGE_CODE
    found, seen = [], set()
    for address, user in wanted:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            user = user or known.get(address.lower())
            found.append((address, getattr(user, "preferred_language", "") or default))
    return found


def render(*, template: str, context: dict) -> tuple[str, str, str]:
    """The subject, text body and HTML body (``""`` without an HTML template) of a mail,
    in the active language."""
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = subject_line(_render_plain(f"{template}_subject.txt", context))
    body = _render_plain(f"{template}.txt", context)
    try:
        html = get_template(f"{template}.html").render(context)
    except TemplateDoesNotExist:
        html = ""
    return subject, body, html


def subject_line(text: str) -> str:
    """A subject on one line with PeaceNet's prefix."""
    return SUBJECT_PREFIX + " ".join(text.split())


def _render_plain(name: str, context: dict) -> str:
    # Plain text is never HTML-escaped: an apostrophe stays an apostrophe.
    return get_template(name).template.render(Context(context, autoescape=False))


def enqueue(
    *, to: str, subject: str, body: str, html: str = "", reply_to=(), headers=None
) -> None:
    """Hand one rendered message to the task queue once the transaction commits."""
    transaction.on_commit(
        partial(
            deliver.enqueue,
            to=to,
            subject=subject,
            body=body,
            html=html,
            reply_to=list(reply_to),
            headers=dict(headers or {}),
        )
    )


@task
def deliver(
    *,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    reply_to=(),
    headers=None,
    attempt=1,
):
    """Send one message (run by the task worker). A failure is raised, so the task result
    records it, after a retry has been scheduled while attempts are left."""
    message = EmailMultiAlternatives(
        subject, body, to=[to], reply_to=list(reply_to), headers=dict(headers or {})
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        delays = settings.MAIL_RETRY_DELAYS
        retry = deliver.get_backend().supports_defer and attempt <= len(delays)
        if retry:
            deliver.using(run_after=timezone.now() + delays[attempt - 1]).enqueue(
                to=to,
                subject=subject,
                body=body,
                html=html,
                reply_to=list(reply_to),
                headers=dict(headers or {}),
                attempt=attempt + 1,
            )
        logger.warning(
            "Mail %r to %s failed (attempt %d of %d)%s",
            subject,
            to,
            attempt,
            len(delays) + 1,
            "; it will be tried again" if retry else "",
        )
        raise
