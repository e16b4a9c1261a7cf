"""Following, unfollowing, choosing how often, and sending the digests."""

import logging

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organisations.filters import DirectoryFilter, search_query
from partnerships.models import ProposalStatus
from peacenet.lib import digests
from peacenet.lib.errors import DomainError

from . import emails
from .models import TARGET_FIELDS, Follow, FollowKind, Frequency, Subscription

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "alerts.unsubscribe"
# A digest's unsubscribe link works this long; a newer digest brings a fresh one.
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 90


def subscription_for(user, *, now=None) -> Subscription:
    """The person's digest subscription, made (weekly, from now) the first time it is needed."""
    subscription, _created = Subscription.objects.get_or_create(
        user=user, defaults={"covered_until": now or timezone.now()}
    )
    return subscription


def is_followable(kind, target) -> bool:
    """Whether visitors may see ``target``, so that it may be followed: a published
    organisation, a public partnership, any group, a search with valid filters (a query
    string, or the ``DirectoryFilter`` the directory page has already validated)."""
    if kind == FollowKind.ORGANISATION:
        return target.is_published
    if kind == FollowKind.PARTNERSHIP:
        return target.status != ProposalStatus.DRAFT and not target.is_hidden
    if kind == FollowKind.SEARCH:
        if not isinstance(target, DirectoryFilter):
            target = DirectoryFilter(QueryDict(target))
        return target.is_valid()
    return True


def ensure_followable(kind, target):
    if not is_followable(kind, target):
        raise DomainError(
            _("This search has filters that are not valid, so it cannot be saved.")
            if kind == FollowKind.SEARCH
            else _("Only what is public can be followed.")
        )


@transaction.atomic
def follow(*, user, kind, target) -> Follow:
    """``user`` follows ``target`` (an organisation, group or proposal; for a search, the
    directory's query string, normalised here). Following twice keeps one follow."""
    kind = FollowKind(kind)
    if kind == FollowKind.SEARCH:
        target = search_query(QueryDict(target))
    ensure_followable(kind, target)
    subscription_for(user)
    fields = {"query": target} if kind == FollowKind.SEARCH else {TARGET_FIELDS[kind]: target}
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, kind=kind, **fields)
    except IntegrityError:  # Already followed (perhaps a moment ago, in another tab).
        return Follow.objects.get(user=user, kind=kind, **fields)


def unfollow(*, follow: Follow) -> None:
    follow.delete()


def set_frequency(*, user, frequency) -> Subscription:
    """How often ``user`` gets a digest. Turned on again after "never", the next digest
    tells what changes from now on, not all that changed while it was off."""
    subscription = subscription_for(user)
    if subscription.frequency == Frequency.NEVER and frequency != Frequency.NEVER:
        subscription.covered_until = timezone.now()
    subscription.frequency = Frequency(frequency)
    subscription.save(update_fields=["frequency", "covered_until"])
    return subscription


# Unsubscribing by the link in a digest ---------------------------------------------------------


def unsubscribe_token(subscription: Subscription) -> str:
    """A signed token for one subscription's one-click unsubscribe link."""
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def subscription_from_token(token: str) -> Subscription:
    """The subscription a token was made for; ``DomainError`` when it is expired, tampered
    with, or its subscription is gone."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired as error:
        raise DomainError(_("This unsubscribe link has expired.")) from error
    except signing.BadSignature as error:
        raise DomainError(_("This unsubscribe link is not valid.")) from error
    subscription = Subscription.objects.filter(pk=pk).select_related("user").first()
    if subscription is None:
        raise DomainError(_("This unsubscribe link is not valid."))
    return subscription


def unsubscribe(*, subscription: Subscription) -> None:
    """No more digests for this subscription (what is followed stays, for the alerts page)."""
    subscription.frequency = Frequency.NEVER
    subscription.save(update_fields=["frequency"])


# Sending the digests ----------------------------------------------------------------------------


def follows_of(user) -> digests.Follows:
    rows = list(
        Follow.objects.filter(user=user).values_list(
            "pk", "kind", "organisation", "network_group", "proposal", "query"
        )
    )
    return digests.Follows(
        organisations=frozenset(
            org for _pk, kind, org, _g, _p, _q in rows if kind == FollowKind.ORGANISATION
        ),
        groups=frozenset(
            group for _pk, kind, _o, group, _p, _q in rows if kind == FollowKind.GROUP
        ),
        partnerships=frozenset(
            prop for _pk, kind, _o, _g, prop, _q in rows if kind == FollowKind.PARTNERSHIP
        ),
        searches=tuple(
            digests.SavedSearch(id=pk, query=query)
            for pk, kind, _o, _g, _p, query in rows
            if kind == FollowKind.SEARCH
        ),
    )


def send_digest(*, subscription: Subscription, now) -> bool:
    """Mail one person what changed in what they follow since their last digest, if it is
    due and there is something to tell; the window is covered either way. Returns whether a
    digest was sent."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().select_related("user").get(pk=subscription.pk)
        )
        if not subscription.is_due(now) or not subscription.user.is_active:
            return False
        user = subscription.user
        since = subscription.covered_until
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            sections = digests.SOURCES.collect(follows_of(user), since=since, until=now)
            if sections:
                emails.digest(
                    subscription=subscription,
                    sections=sections,
                    since=since,
                    token=unsubscribe_token(subscription),
                )
        subscription.covered_until = now
        subscription.save(update_fields=["covered_until"])
        return bool(sections)


def send_digests(*, now=None) -> int:
    """Send every digest that is due (``manage.py send_digests``); returns how many were
    sent. Running it again sends nothing new: each window is covered once."""
    now = now or timezone.now()
    due = (
        Subscription.objects.exclude(frequency=Frequency.NEVER)
        .filter(user__follows__isnull=False)
        .distinct()
    )
    sent = 0
    for subscription in due.iterator():
        sent += send_digest(subscription=subscription, now=now)
    return sent
