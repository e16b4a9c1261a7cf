"""The alerts' mail: one digest per person, with a one-click unsubscribe (RFC 8058).

``peacenet.lib.mail`` renders ``templates/alerts/email/digest_subject.txt`` and
``digest.txt`` in the person's language and sends it once the transaction commits.
"""

from django.urls import reverse

from peacenet.lib import mail
from peacenet.lib.links import absolute_url


def digest(*, subscription, sections, since, token) -> None:
    """Mail ``subscription``'s person the digest ``sections`` (``peacenet.lib.digests``)."""
    unsubscribe_url = absolute_url(reverse("alerts:unsubscribe", kwargs={"token": token}))
    mail.send(
        template="alerts/email/digest",
        to=subscription.user,
        context={
            "sections": sections,
            "since": since,
            "frequency": subscription.get_frequency_display(),
            "unsubscribe_url": unsubscribe_url,
            "count": sum(len(section.items) for section in sections),
        },
        headers={
            # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" to the link.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
