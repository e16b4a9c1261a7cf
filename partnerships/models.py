"""Partnership proposals, the organisations taking part, and what happened to them.

The status rules live in ``services.py``; the database constraints here carry the guarantees
that must hold whatever code writes the rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from organisations.models import NetworkGroup, Organisation
from organisations.search import search_fields


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open: seeking partners")
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")


class Answer(models.TextChoices):
    INVITED = "invited", _("Invited")
    INTERESTED = "interested", _("Interested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


# The fields a proposal is searched in, by weight (``organisations.search.search_fields``).
SEARCH_WEIGHTS = {"title": 4, "summary": 2, "goals": 1, "description": 1}

# Statuses in which a proposal still looks for, or takes in, partners.
RECRUITING = (ProposalStatus.OPEN, ProposalStatus.FORMING, ProposalStatus.ACTIVE)
# Statuses shown as "past" on organisation profiles.
FINISHED = (ProposalStatus.COMPLETED, ProposalStatus.WITHDRAWN)


def _led_by_member_of(user):
    return Q(
        participants__role=ParticipantRole.LEAD,
        participants__organisation__memberships__user=user,
    )


class PartnershipProposalQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: submitted and not hidden by the moderators."""
        return self.exclude(status=ProposalStatus.DRAFT).filter(is_hidden=False)

    def visible_to(self, user):
        """Public proposals, plus every proposal led by an organisation the user may act for
        (``Organisation.objects.editable_by``), drafts and hidden ones included."""
        acting_for = Organisation.objects.editable_by(user).values("pk")
        led = Participant.objects.filter(
            role=ParticipantRole.LEAD, organisation__in=acting_for
        ).values("proposal")
        return self.filter(Q(pk__in=led) | (~Q(status=ProposalStatus.DRAFT) & Q(is_hidden=False)))

    def led_by_user(self, user):
        """Proposals whose lead organisation the user is a member of."""
        if not user.is_authenticated:
            return self.none()
        own = PartnershipProposal.objects.filter(_led_by_member_of(user)).values("pk")
        return self.filter(pk__in=own)

    def open_calls(self):
        """Public proposals that any published organisation may express interest in."""
        return self.public().filter(is_open_call=True, status__in=RECRUITING)

    def search(self, q):
        """Proposals where every word of ``q`` is in their text or themes, any case, ranked
        (``rank``), through the directory's search module."""
        return search_fields(self, q, SEARCH_WEIGHTS)

    def open_calls_first(self):
        """Open calls still taking partners first, then the newest."""
        return self.alias(
            recruiting=models.Case(
                models.When(Q(is_open_call=True, status__in=RECRUITING), then=0),
                default=1,
                output_field=models.IntegerField(),
            )
        ).order_by("recruiting", "-created", "pk")


class PartnershipProposal(models.Model):
    Status = ProposalStatus

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    summary = models.CharField(
        _("summary"), max_length=250, help_text=_("One line on what the partnership would do.")
    )
    description = models.TextField(_("what and why"))
    goals = models.TextField(_("goals"), blank=True)
    partners_bring = models.TextField(
        _("what we bring"), blank=True, help_text=_("What the proposing organisation brings.")
    )
    partners_need = models.TextField(
        _("what we need from partners"),
        blank=True,
        help_text=_("Skills, contacts, funding or knowledge you hope partners bring."),
    )
    network_group = models.ForeignKey(
        NetworkGroup,
        verbose_name=_("network group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    themes = TaggableManager(_("themes"), blank=True)
    follow_up = models.ForeignKey(
        "events.FollowUp",
        verbose_name=_("follow-up it came from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    is_open_call = models.BooleanField(
        _("open call"),
        default=False,
        help_text=_("Any published organisation may express interest in joining."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    is_hidden = models.BooleanField(
        _("hidden by moderators"),
        default=False,
        help_text=_("Hide a proposal that breaks the rules; its lead is emailed the reason."),
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnershipProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "pk"]
        verbose_name = _("partnership proposal")
        verbose_name_plural = _("partnership proposals")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="proposal_slug_unique"),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""),
                name="proposal_hidden_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created"], name="proposal_status_new_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:detail", kwargs={"slug": self.slug})

    @property
    def lead(self):
        """The lead participant (uses prefetched participants when there are any)."""
        for participant in self.participants.all():
            if participant.role == ParticipantRole.LEAD:
                return participant
        return None

    @property
    def lead_organisation(self):
        lead = self.lead
        return lead.organisation if lead else None

    @property
    def is_recruiting(self):
        return self.is_open_call and self.status in RECRUITING


class ParticipantQuerySet(models.QuerySet):
    def for_user(self, user):
        """Participations of the organisations the user is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)

    def invitations_for(self, user):
        """Invitations the user's organisations have not answered yet, on live proposals."""
        return (
            self.for_user(user)
            .filter(answer=Answer.INVITED, proposal__status__in=RECRUITING)
            .filter(proposal__is_hidden=False)
        )


class Participant(models.Model):
    """An organisation in a proposal: its role and its answer."""

    Role = ParticipantRole
    Answer = Answer

    proposal = models.ForeignKey(
        PartnershipProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.PARTNER)
    answer = models.CharField(_("answer"), max_length=12, choices=Answer, default=Answer.INVITED)
    message = models.TextField(_("message"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["role", "created", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="participant_one_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(role=ParticipantRole.LEAD),
                name="participant_one_lead_per_proposal",
            ),
            models.CheckConstraint(
                condition=Q(role__in=ParticipantRole.values), name="participant_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(answer__in=Answer.values), name="participant_answer_valid"
            ),
            models.CheckConstraint(
                condition=~Q(role=ParticipantRole.LEAD) | Q(answer=Answer.ACCEPTED),
                name="participant_lead_has_accepted",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()}, {self.get_answer_display()})"

    @property
    def is_lead(self):
        return self.role == ParticipantRole.LEAD


class StatusChange(models.Model):
    """One step in a proposal's history: the proposal's status changed, or (when
    ``organisation`` is set) that organisation's answer changed."""

    proposal = models.ForeignKey(
        PartnershipProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when the step is an organisation's answer."),
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        organisation__isnull=True,
                        to_status__in=ProposalStatus.values,
                        from_status__in=["", *ProposalStatus.values],
                    )
                    | Q(
                        organisation__isnull=False,
                        to_status__in=Answer.values,
                        from_status__in=["", *Answer.values],
                    )
                ),
                name="statuschange_statuses_valid",
            ),
        ]

    def __str__(self):
        return f"{self.proposal}: {self.from_status or '—'} → {self.to_status}"

    def _label(self, value):
        choices = Answer if self.organisation_id else ProposalStatus
        return choices(value).label if value in choices.values else value

    @property
    def from_label(self):
        return self._label(self.from_status) if self.from_status else ""

    @property
    def to_label(self):
        return self._label(self.to_status)


class ProgressUpdate(models.Model):
    """A short dated note on an active partnership, posted for a participating organisation."""

    proposal = models.ForeignKey(
        PartnershipProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="progress_updates",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("update"), max_length=2000)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return f"{self.proposal}, {self.date}"
