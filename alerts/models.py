"""What people follow, and how often they hear about it."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organisations.models import NetworkGroup, Organisation
from partnerships.models import PartnershipProposal


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    DAILY = "daily", _("Daily")
    NEVER = "never", _("Never")


# How long after a digest the next one is due, a little early so that a daily timer that
# runs a few minutes earlier one day than the day before still sends.
PERIODS = {
    Frequency.DAILY: datetime.timedelta(days=1) - datetime.timedelta(hours=1),
    Frequency.WEEKLY: datetime.timedelta(days=7) - datetime.timedelta(hours=1),
}


class Subscription(models.Model):
    """One person's digest: how often, and up to when the last one told them."""

    Frequency = Frequency

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_subscription",
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency, default=Frequency.WEEKLY
    )
    # The end of the window the last digest covered (the start of the next one's).
    covered_until = models.DateTimeField(_("digest covered until"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="subscription_frequency_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_frequency_display()})"

    def is_due(self, now):
        period = PERIODS.get(self.frequency)
        return period is not None and now - self.covered_until >= period


class FollowKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    GROUP = "group", _("Network group")
    PARTNERSHIP = "partnership", _("Partnership")
    SEARCH = "search", _("Directory search")


# The field that holds what each kind of follow follows.
TARGET_FIELDS = {
    FollowKind.ORGANISATION: "organisation",
    FollowKind.GROUP: "network_group",
    FollowKind.PARTNERSHIP: "proposal",
}


class Follow(models.Model):
    """A person follows an organisation, a network group, a partnership or a directory
    search (its filters as ``organisations.filters.search_query`` normalises them)."""

    Kind = FollowKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FollowKind)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    network_group = models.ForeignKey(
        NetworkGroup,
        verbose_name=_("network group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    proposal = models.ForeignKey(
        PartnershipProposal,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    query = models.CharField(_("search"), max_length=1000, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "created", "pk"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            # Exactly the field of its kind is set.
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=FollowKind.ORGANISATION,
                        organisation__isnull=False,
                        network_group__isnull=True,
                        proposal__isnull=True,
                        query="",
                    )
                    | Q(
                        kind=FollowKind.GROUP,
                        organisation__isnull=True,
                        network_group__isnull=False,
                        proposal__isnull=True,
                        query="",
                    )
                    | Q(
                        kind=FollowKind.PARTNERSHIP,
                        organisation__isnull=True,
                        network_group__isnull=True,
                        proposal__isnull=False,
                        query="",
                    )
                    | Q(
                        kind=FollowKind.SEARCH,
                        organisation__isnull=True,
                        network_group__isnull=True,
                        proposal__isnull=True,
                    )
                ),
                name="follow_target_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(kind=FollowKind.ORGANISATION),
                name="follow_organisation_once",
            ),
            models.UniqueConstraint(
                fields=["user", "network_group"],
                condition=Q(kind=FollowKind.GROUP),
                name="follow_group_once",
            ),
            models.UniqueConstraint(
                fields=["user", "proposal"],
                condition=Q(kind=FollowKind.PARTNERSHIP),
                name="follow_partnership_once",
            ),
            models.UniqueConstraint(
                fields=["user", "query"],
                condition=Q(kind=FollowKind.SEARCH),
                name="follow_search_once",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} {self.target_label}"

    @property
    def target(self):
        """The organisation, group or proposal followed (``None`` for a search)."""
        field = TARGET_FIELDS.get(self.kind)
        return getattr(self, field) if field else None

    @property
    def target_label(self):
        if self.kind == FollowKind.SEARCH:
            return self.query or _("all organisations")
        target = self.target
        return target.public_name if self.kind == FollowKind.ORGANISATION else str(target)

    @property
    def target_url(self):
        if self.kind == FollowKind.SEARCH:
            query = f"?{self.query}" if self.query else ""
            return reverse("organisations:directory") + query
        return self.target.get_absolute_url()

    @property
    def feed_url(self):
        """A followed search's Atom feed, with the same filters."""
        if self.kind != FollowKind.SEARCH:
            return ""
        return reverse("organisations:feed") + (f"?{self.query}" if self.query else "")
