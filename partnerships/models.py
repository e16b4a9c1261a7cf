"""Partnership proposals, the organisations taking part, and what happened to them.

The status rules live in ``services.py``; the database constraints here carry the guarantees
that must hold whatever code writes the rows.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from organisations.models import NetworkGroup, Organisation, ThemedItem
from organisations.search import search_fields
from peacenet.lib.slugs import slug_address

from . import reporting


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


def _taking_partners(today=None):
    """Open calls still taking partners whose deadline, if any, has not passed (the Amsterdam
    date); ``PartnershipProposal.is_recruiting`` for one proposal."""
    closed = Q(deadline__lt=today or timezone.localdate())
    return Q(is_open_call=True, status__in=RECRUITING) & ~closed


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

    def open_calls(self, *, today=None):
        """Public proposals that any published organisation may express interest in."""
        return self.public().filter(_taking_partners(today))

    def without_expired_calls(self, *, today=None):
        """Leave out open calls that sought partners only (open or forming) and whose
        deadline has passed; running partnerships stay, whatever their call's deadline."""
        return self.exclude(
            is_open_call=True,
            status__in=[ProposalStatus.OPEN, ProposalStatus.FORMING],
            deadline__lt=today or timezone.localdate(),
        )

    def with_reporting(self):
        """Annotate what the reporting schedule needs (``reporting.schedule``): the date of
        the latest progress report and when the partnership last became active."""
        return self.annotate(
            last_report_date=models.Subquery(
                ProgressUpdate.objects.filter(proposal=models.OuterRef("pk"))
                .order_by("-date")
                .values("date")[:1]
            ),
            active_since_at=models.Subquery(
                StatusChange.objects.filter(
                    proposal=models.OuterRef("pk"),
                    organisation__isnull=True,
                    to_status=ProposalStatus.ACTIVE,
                )
                .order_by("-at")
                .values("at")[:1]
            ),
        )

    def search(self, q):
        """Proposals where every word of ``q`` is in their text or themes, any case, ranked
        (``rank``), through the directory's search module."""
        return search_fields(self, q, SEARCH_WEIGHTS)

    def open_calls_first(self, *, today=None):
        """Open calls still taking partners first, the soonest deadline first (those without
        a deadline after them), then the newest."""
        return self.alias(
            recruiting=models.Case(
                models.When(_taking_partners(today), then=0),
                default=1,
                output_field=models.IntegerField(),
            )
        ).order_by(
            "recruiting",
            models.F("deadline").asc(nulls_last=True),
            "-created",
            "pk",
        )


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
    themes = TaggableManager(_("themes"), through=ThemedItem, blank=True)
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
    deadline = models.DateField(
        _("deadline to join"),
        null=True,
        blank=True,
        help_text=_("For an open call: the last day organisations may ask to join."),
    )
    funding_name = models.CharField(
        _("funding source or call"),
        max_length=200,
        blank=True,
        help_text=_("The fund or call for proposals partners are sought for, if any."),
    )
    funding_url = models.URLField(
        _("link to the funding call"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("An address starting with https:// or http://."),
    )
    funding_deadline = models.DateField(_("funding call deadline"), null=True, blank=True)
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
            models.CheckConstraint(
                condition=~Q(funding_name="") | Q(funding_url="", funding_deadline__isnull=True),
                name="proposal_funding_has_name",
                violation_error_message=_(
                    "Name the fund or call that the link and its deadline belong to."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created"], name="proposal_status_new_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_address("partnerships:detail", self.slug)

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
        return self.is_open_call and self.status in RECRUITING and not self.call_has_closed

    @property
    def call_has_closed(self):
        """Whether this open call's deadline has passed (the Amsterdam date)."""
        return self.deadline is not None and self.deadline < timezone.localdate()

    @cached_property
    def reporting(self):
        """Its reporting schedule while active (``reporting.schedule``), else None."""
        return reporting.schedule(self)

    @property
    def created_on(self):
        """The day the proposal was created (the Amsterdam date)."""
        return timezone.localdate(self.created)


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

    def clean(self):
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A progress update cannot be dated in the future.")})


class DeliverableState(models.TextChoices):
    DONE = "done", _("Done")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")


class DeliverableQuerySet(models.QuerySet):
    def with_state(self, *, today=None):
        """Annotate ``state`` (``DeliverableState``): done once marked done, overdue when its
        due date has passed without that (the Amsterdam date, ``timezone.localdate``), due
        otherwise. The one rule for what is overdue."""
        today = today or timezone.localdate()
        return self.annotate(
            state=models.Case(
                models.When(done_at__isnull=False, then=models.Value(DeliverableState.DONE)),
                models.When(due__lt=today, then=models.Value(DeliverableState.OVERDUE)),
                default=models.Value(DeliverableState.DUE),
                output_field=models.CharField(),
            )
        )

    def overdue(self, *, today=None):
        return self.with_state(today=today).filter(state=DeliverableState.OVERDUE)


class Deliverable(models.Model):
    """Something a partnership promises: what, which participating organisation answers for
    it, and by when. The lead or that organisation marks it done, with a note."""

    State = DeliverableState

    proposal = models.ForeignKey(
        PartnershipProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    title = models.CharField(_("what"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("who"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The participating organisation that answers for it."),
    )
    due = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done_note = models.TextField(_("note"), blank=True, max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=False) | Q(done_note=""),
                name="deliverable_note_only_when_done",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.due})"

    def clean(self):
        """A deliverable belongs to a participant of its proposal (not one that declined) and
        is not due before the proposal was created."""
        super().clean()
        if not self.proposal_id:
            return
        errors = {}
        created_on = self.proposal.created_on
        if self.due and self.due < created_on:
            errors["due"] = _(
                "The due date cannot be before the proposal was created (%(date)s)."
            ) % {"date": formats.date_format(created_on)}
        if (
            self.organisation_id
            and not self.proposal.participants.filter(organisation_id=self.organisation_id)
            .exclude(answer=Answer.DECLINED)
            .exists()
        ):
            errors["organisation"] = _("Choose an organisation that takes part in this proposal.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_done(self):
        return self.done_at is not None


class ProgressReminder(models.Model):
    """A reminder to report progress, sent once for each report due date of a partnership:
    what keeps ``send_progress_reminders`` from sending it twice."""

    proposal = models.ForeignKey(
        PartnershipProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="progress_reminders",
    )
    due = models.DateField(_("report due"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-due", "pk"]
        verbose_name = _("progress reminder")
        verbose_name_plural = _("progress reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "due"], name="progressreminder_once_per_due_date"
            ),
        ]

    def __str__(self):
        return f"{self.proposal}, {self.due}"
