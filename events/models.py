from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import NetworkGroup, Organisation, http_url_validator
from peacenet.lib.slugs import check_not_reserved, slug_address
from peacenet.lib.staff import has_staff_powers


class EventKind(models.TextChoices):
    SEMINAR = "seminar", _("Seminar")
    WORKSHOP = "workshop", _("Workshop")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    CONFERENCE = "conference", _("Conference")
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    COMMEMORATION = "commemoration", _("Commemoration")


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    TALK = "talk", _("Talk")
    BREAKOUT = "breakout", _("Breakout group")


class FollowUpStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, now=None):
        """Events that have not ended yet, soonest first."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        """Events that have ended, most recent first."""
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def visible_to(self, user):
        """Published events; staff also see unpublished ones."""
        if has_staff_powers(user):
            return self.all()
        return self.published()

    def for_network_group(self, group):
        """Events of a network group: tagged with it, or with a session of it."""
        return self.filter(Q(network_groups=group) | Q(sessions__network_group=group)).distinct()


class Event(models.Model):
    Kind = EventKind

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.SEMINAR)
    summary = models.CharField(_("summary"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    outcome = models.TextField(
        _("outcome"), blank=True, help_text=_("What the event concluded, in a few sentences.")
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("Leave empty if not known.")
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, default="The Hague")
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_events",
    )
    co_organisers = models.ManyToManyField(
        Organisation,
        verbose_name=_("co-organisers"),
        through="CoOrganiser",
        blank=True,
        related_name="co_organised_events",
    )
    network_groups = models.ManyToManyField(
        NetworkGroup, verbose_name=_("network groups"), blank=True, related_name="events"
    )
    video_url = models.URLField(_("video"), blank=True, validators=[http_url_validator])
    report_url = models.URLField(_("report"), blank=True, validators=[http_url_validator])
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Places for registration; leave empty when people cannot register here."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the event was first published; digests tell it from then."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who submitted it on the site (a member of the organiser, a facilitator)."),
    )
    is_demo = models.BooleanField(
        _("demo event"), default=False, help_text=_("Made-up example data, shown as such.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="event_slug_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="event_kind_valid"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="event_end_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "start"], name="event_published_start_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Record when the event was first published, however it was published (the admin's
        checkbox or action, a facilitator's meeting, staff publishing a submission)."""
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_address("events:detail", self.slug)

    def clean(self):
        super().clean()
        try:
            check_not_reserved(self.slug, under=reverse("events:list"))
        except ValidationError as error:
            raise ValidationError({"slug": error}) from None
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The event must end after it starts.")})

    def get_ics_url(self):
        return reverse("events:ics", kwargs={"slug": self.slug})

    @property
    def is_single_day(self):
        return timezone.localdate(self.start) == timezone.localdate(self.end)

    @property
    def place(self):
        return ", ".join(part for part in (self.venue, self.city) if part)

    @property
    def is_upcoming(self):
        return self.end >= timezone.now()

    @property
    def takes_registrations(self):
        """People may register: published, not yet started, and with places."""
        return self.is_published and self.capacity is not None and self.start > timezone.now()


class CoOrganiser(models.Model):
    """An organisation that organised an event together with its organiser."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="co_organisations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="co_organisations",
    )
    note = models.CharField(
        _("note"),
        max_length=250,
        blank=True,
        help_text=_("For example the role it played, or where this is reported."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("co-organiser")
        verbose_name_plural = _("co-organisers")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="coorganiser_event_organisation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.organisation}, {self.event}"


class Session(models.Model):
    """A part of an event: a plenary, a talk or a breakout group."""

    Kind = SessionKind

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TALK)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("What was said or agreed."))
    start = models.DateTimeField(_("starts"), null=True, blank=True)
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    network_group = models.ForeignKey(
        NetworkGroup,
        verbose_name=_("network group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    facilitator = models.ForeignKey(
        Organisation,
        verbose_name=_("facilitating organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_sessions",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gt=F("start")),
                name="session_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The session must end after it starts.")})


class Speaker(models.Model):
    """Someone who spoke in a session, with the organisation they spoke for."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="speakers"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_("For example 'director'.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speakers",
    )
    topic = models.CharField(_("topic"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.name


class FollowUp(models.Model):
    """A next step or recommendation agreed at an event or one of its sessions."""

    Status = FollowUpStatus

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PROPOSED)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FollowUpStatus.values), name="followup_status_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.event.get_absolute_url()}#follow-up-{self.pk}"

    def clean(self):
        super().clean()
        if self.session_id and self.event_id and self.session.event_id != self.event_id:
            raise ValidationError({"session": _("Choose a session of the same event.")})


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        """The waiting list, first in line first."""
        return self.filter(status=RegistrationStatus.WAITING).order_by("registered_at", "pk")

    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)


class Registration(models.Model):
    """A person's registration to attend an event (confirmed, waiting or cancelled)."""

    Status = RegistrationStatus

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status)
    registered_at = models.DateTimeField(
        _("registered at"), default=timezone.now, help_text=_("Place in the waiting list.")
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="registration_event_user_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["event", "status", "registered_at"], name="registration_queue_idx"
            ),
        ]

    def __str__(self):
        return f"{self.user}, {self.event} ({self.get_status_display()})"

    def place_in_line(self):
        """1 for the first on the waiting list; None unless this registration is waiting."""
        if self.status != Registration.Status.WAITING:
            return None
        ahead = Q(registered_at__lt=self.registered_at) | Q(
            registered_at=self.registered_at, pk__lt=self.pk
        )
        return self.event.registrations.waiting().filter(ahead).count() + 1
