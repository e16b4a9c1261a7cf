import calendar
import datetime
import functools
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import GenericTaggedItemBase, TagBase

from peacenet.lib.compiled import CompiledQuery
from peacenet.lib.links import absolute_url
from peacenet.lib.slugs import slug_address
from peacenet.lib.staff import has_staff_powers

from . import search as directory_search
from .cities import canonical_city
from .facet_values import FacetValuesField
from .logos import update_logo_card

http_url_validator = URLValidator(schemes=["http", "https"])


def validate_founded_year(value):
    if value > datetime.date.today().year:
        raise ValidationError(_("The founding year cannot be in the future."))


@functools.lru_cache(maxsize=64)
def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month ``months`` calendar months before ``day`` (the month's last
    day when it is shorter: 31 March less one month is 28 or 29 February). Worked out once
    per day and number of months: every card of a page asks whether it is stale."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last_day))


class Confirmation:
    """How long an organisation's details count as confirmed: the one place for these rules.

    An entry counts as confirmed since its ``last_confirmed`` date or, never confirmed, since
    it was published (``Organisation.confirmed_since``). It is *stale* once that is more than
    ``STALE_AFTER_MONTHS`` ago; its owners and editors are reminded ``REMINDER_MONTHS`` after
    it; after ``ARCHIVE_SUGGESTED_AFTER_MONTHS`` staff are asked to consider archiving it.
    """

    STALE_AFTER_MONTHS = 13
    REMINDER_MONTHS = (12, 13, 14)
    ARCHIVE_SUGGESTED_AFTER_MONTHS = 24
    RECENT = "recent"
    STALE = "stale"
    CHOICES = [
        (RECENT, _("Confirmed in the last 13 months")),
        (STALE, _("Not confirmed for more than 13 months")),
    ]

    @staticmethod
    def condition(day: datetime.date, *, before: bool) -> Q:
        """Organisations that count as confirmed since a day before ``day`` (``before``), or
        since ``day`` or later: ``last_confirmed``, else when they were published, else when
        they were created (the same rule as ``Organisation.confirmed_since``)."""
        start = datetime.datetime.combine(day, datetime.time.min, timezone.get_current_timezone())
        lookup = "lt" if before else "gte"
        return (
            Q(**{f"last_confirmed__{lookup}": day})
            | Q(last_confirmed__isnull=True, **{f"published_at__{lookup}": start})
            | Q(
                last_confirmed__isnull=True,
                published_at__isnull=True,
                **{f"created__{lookup}": start},
            )
        )

    @staticmethod
    def stale_before(today: datetime.date | None = None) -> datetime.date:
        """Entries confirmed (or published) before this day are stale today."""
        return months_before(today or timezone.localdate(), Confirmation.STALE_AFTER_MONTHS)


class Visibility(models.TextChoices):
    """Who may see one contact detail of an organisation; the organisation chooses."""

    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    ADMINS = "admins", _("Administrators only")


class OrganisationKind(models.TextChoices):
    DIASPORA = "diaspora", _("Diaspora organisation")
    NGO = "ngo", _("NGO")
    GOVERNMENT = "government", _("Government")
    KNOWLEDGE_INSTITUTE = "knowledge_institute", _("Knowledge institute")
    INTERNATIONAL = "international", _("International organisation")


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    ARCHIVED = "archived", _("Archived")


class TextLanguage(models.TextChoices):
    """The languages an organisation may write its summary and description in: the
    interface languages."""

    ENGLISH = "en", _("English")
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ARABIC = "ar", _("Arabic")


# The codes of ``TextLanguage``, in its order (``TextLanguage.values`` makes the list anew).
TEXT_LANGUAGES = tuple(TextLanguage.values)


@dataclass(frozen=True)
class Text:
    """An organisation's text as one reader sees it, with the language it is in and whether
    that differs from the reader's (then pages mark it with ``lang``)."""

    text: str
    language: str
    foreign: bool

    def __str__(self):
        return self.text


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")


class NetworkGroup(models.Model):
    """A peace network group: Gender, Radicalisation, Youth, and any admins add."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    facilitator = models.ForeignKey(
        "Organisation",
        verbose_name=_("facilitating organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_groups",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("network group")
        verbose_name_plural = _("network groups")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="networkgroup_slug_unique"),
            models.UniqueConstraint(Lower("name"), name="networkgroup_name_unique_ci"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address("organisations:network_group", self.slug)

    def get_feed_url(self):
        return reverse("organisations:network_group_feed", kwargs={"slug": self.slug})

    def posting_organisation_for(self, user):
        """Whether ``user`` may post to this group (announcements, meetings, its member
        list), and for which organisation: ``(True, organisation)`` for a facilitator
        (their facilitating organisation, published, and still a member of it) and for
        staff with staff powers (the group's facilitating organisation, if any); else
        ``(False, None)``. The one rule for acting as a facilitator; one query."""
        if user is None or not user.is_authenticated:
            return False, None
        appointment = (
            self.facilitators.filter(
                user=user,
                organisation__status=OrganisationStatus.PUBLISHED,
                organisation__memberships__user=user,
            )
            .select_related("organisation")
            .first()
        )
        if appointment is not None:
            return True, appointment.organisation
        if has_staff_powers(user):
            return True, self.facilitator
        return False, None

    def published_members(self):
        """The group's published member organisations, by name."""
        return self.organisations.published().order_by("name", "pk")

    def may_post(self, user):
        """Whether ``user`` may post to this group (see ``posting_organisation_for``)."""
        return self.posting_organisation_for(user)[0]


class Capacity(models.Model):
    """A kind of capacity organisations offer or need (funding, training, research, ...)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="capacity_slug_unique"),
            models.UniqueConstraint(Lower("name"), name="capacity_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class Theme(TagBase):
    """A theme of the curated vocabulary that organisations and partnership proposals are
    tagged with (taggit's custom tag model). Staff keep its name in every interface language
    (``name_en``, ``name_nl``, ``name_fr``, ``name_ar``: organisations/translation.py);
    ``name`` reads the reader's language, else English. What registrants type outside the
    vocabulary waits as a ``ThemeSuggestion``."""

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def names(self):
        """The theme's name in every language that has one."""
        return [
            name
            for code in settings.MODELTRANSLATION_LANGUAGES
            if (name := getattr(self, f"name_{code}", None))
        ]


class ThemedItem(GenericTaggedItemBase):
    """One organisation or partnership proposal tagged with one theme of the vocabulary."""

    tag = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="items"
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "tag"], name="themeditem_once_per_row"
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="themeditem_row_idx"),
        ]

    def __str__(self):
        return str(self.tag)


class ThemeSuggestion(models.Model):
    """A theme a registrant typed that the vocabulary lacks, kept for staff with the
    organisation or proposal it came with. It is no theme (no facet, no search, shown
    nowhere in public) until staff add it to the vocabulary or map it onto a theme there;
    either way the row it came with gets that theme (``organisations.services.themes``)."""

    name = models.CharField(_("suggested theme"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of entry"), on_delete=models.CASCADE
    )
    object_id = models.PositiveIntegerField(_("entry"))
    content_object = GenericForeignKey("content_type", "object_id")
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("suggested"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("suggested theme")
        verbose_name_plural = _("suggested themes")
        constraints = [
            models.UniqueConstraint(
                "content_type",
                "object_id",
                Lower("name"),
                name="themesuggestion_once_per_row",
            ),
        ]

    def __str__(self):
        return self.name


# The columns a directory card shows (``organisations/templatetags/organisation_cards.py``):
# its name, address, kind, city, summary in every language, logo and how recently it was
# confirmed.
CARD_FIELDS = (
    "name", "short_name", "slug", "kind", "city", "language", "logo_card",
    *(f"summary_{code}" for code in TextLanguage.values),
    "last_confirmed", "published_at", "created",
)  # fmt: skip


class OrganisationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Organisation.Status.PUBLISHED)

    def for_cards(self):
        """Only the columns a directory card shows (``CARD_FIELDS``). A page of results then
        reads neither the descriptions nor the capacity texts, most of a row."""
        return self.only(*CARD_FIELDS)

    def visible_to(self, user):
        """Published organisations, plus those the user may act for, in any status."""
        return self.filter(
            Q(status=Organisation.Status.PUBLISHED)
            | Q(pk__in=Organisation.objects.editable_by(user).values("pk"))
        )

    def editable_by(self, user, *, role=None):
        """The organisations ``user`` may act for (edit, manage, speak for in partnerships),
        annotated with ``acting_role``: their own, in their membership's role, or with staff
        powers every one, as an owner. With ``role``, only those they act for in that role.

        This is the one rule for acting for an organisation; ``Organisation.role_for`` and
        ``is_editable_by`` apply it to one organisation.
        """
        if has_staff_powers(user):
            acting = self.annotate(
                acting_role=models.Value(MembershipRole.OWNER, output_field=models.CharField())
            )
        elif user is not None and user.is_authenticated:
            # One membership per user and organisation (a named constraint): no duplicates.
            acting = self.filter(memberships__user=user).annotate(
                acting_role=F("memberships__role")
            )
        else:
            return self.none()
        return acting.filter(acting_role=role) if role else acting

    def confirmed_before(self, day: datetime.date):
        """Organisations not confirmed (nor published) since ``day``."""
        return self.filter(Confirmation.condition(day, before=True))

    def confirmed_since(self, day: datetime.date):
        """Organisations confirmed (or published) on ``day`` or later."""
        return self.filter(Confirmation.condition(day, before=False))

    def stale(self, today: datetime.date | None = None):
        """Organisations not confirmed for more than ``Confirmation.STALE_AFTER_MONTHS``."""
        return self.confirmed_before(Confirmation.stale_before(today))

    def recent(self, today: datetime.date | None = None):
        """Organisations confirmed within ``Confirmation.STALE_AFTER_MONTHS``."""
        return self.confirmed_since(Confirmation.stale_before(today))

    def unconfirmed_for(self, months: int, today: datetime.date | None = None):
        """Organisations not confirmed for more than ``months`` months."""
        return self.confirmed_before(months_before(today or timezone.localdate(), months))

    def confirmation(self, value: str, today: datetime.date | None = None):
        """``recent()`` or ``stale()`` by name (``Confirmation.RECENT`` / ``.STALE``)."""
        return self.stale(today) if value == Confirmation.STALE else self.recent(today)

    def search(self, query, *, correct=True):
        """Organisations matching a full-text query, annotated with ``rank`` (see search.py);
        misspelt words are corrected unless ``correct`` is false."""
        return directory_search.search(self, query, correct=correct)

    def similar_names(self, query):
        """Organisations whose name is close to ``query`` despite typos, with ``rank``."""
        return directory_search.similar_names(self, query)

    def names_containing(self, query):
        """Organisations whose name or short name contains ``query`` (see search.py)."""
        return directory_search.names_containing(self, query)


# ``visible_contact``'s default: the caller has not read the user's role yet.
UNKNOWN_ROLE = object()


class Organisation(models.Model):
    Kind = OrganisationKind
    Status = OrganisationStatus

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    summary = models.CharField(
        _("summary"), max_length=250, help_text=_("One line on what the organisation does.")
    )
    description = models.TextField(_("description"), blank=True)
    # The language the organisation wrote its summary and description in; translations into
    # the other languages are optional (summary_fr, description_ar, …: translation.py).
    language = models.CharField(
        _("language of the summary and description"),
        max_length=2,
        choices=TextLanguage,
        default=TextLanguage.ENGLISH,
    )
    website = models.URLField(_("website"), blank=True, validators=[http_url_validator])

    email = models.EmailField(_("contact email"), blank=True)
    email_visibility = models.CharField(
        _("who may see the email"), max_length=10, choices=Visibility, default=Visibility.ADMINS
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_visibility = models.CharField(
        _("who may see the phone number"),
        max_length=10,
        choices=Visibility,
        default=Visibility.ADMINS,
    )
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    address_visibility = models.CharField(
        _("who may see the address"),
        max_length=10,
        choices=Visibility,
        default=Visibility.ADMINS,
    )
    city = models.CharField(_("city"), max_length=100, blank=True, default="The Hague")
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    founded = models.PositiveSmallIntegerField(
        _("founded in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), validate_founded_year],
    )
    countries = CountryField(_("countries of focus"), multiple=True, blank=True)
    focus_regions = models.CharField(
        _("regions of focus"),
        max_length=250,
        blank=True,
        help_text=_("Regions or groups the organisation works with, in a few words."),
    )
    themes = TaggableManager(_("themes"), through=ThemedItem, blank=True)
    network_groups = models.ManyToManyField(
        NetworkGroup, verbose_name=_("network groups"), blank=True, related_name="organisations"
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    # The logo at the size of a directory card, made from the logo when it changes (logos.py).
    logo_card = models.ImageField(
        _("logo at card size"), upload_to="logos/cards/", blank=True, editable=False
    )
    offers = models.ManyToManyField(
        Capacity, verbose_name=_("capacities offered"), blank=True, related_name="offered_by"
    )
    offers_detail = models.TextField(_("what we offer"), blank=True)
    needs = models.ManyToManyField(
        Capacity, verbose_name=_("capacities needed"), blank=True, related_name="needed_by"
    )
    needs_detail = models.TextField(_("what we need"), blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    status_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why it was rejected or archived; mailed to owners.")
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("When it was last published; details never confirmed count from then."),
    )
    last_confirmed = models.DateField(_("last confirmed"), null=True, blank=True)
    # What the directory's facets read: kept up to date by organisations.facets.
    facet_values = FacetValuesField(_("facet values"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated", "facet_values", "logo_card"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="organisation_slug_unique"),
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrganisationStatus.values),
                name="organisation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(language__in=TextLanguage.values),
                name="organisation_language_valid",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__in": Visibility.values}),
                    name=f"organisation_{field}_valid",
                )
                for field in ("email_visibility", "phone_visibility", "address_visibility")
            ],
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="organisation_status_kind_idx"),
            models.Index(fields=["status", "-created"], name="organisation_status_new_idx"),
            models.Index(fields=["status", "name"], name="organisation_status_name_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # One spelling per city, whichever alias was typed ("Den Haag" is "The Hague").
        self.city = canonical_city(self.city)
        super().save(*args, **kwargs)
        if self.is_published:
            directory_search.add_words(self)
        # After the save, so that a new logo is stored and can be read back.
        if update_logo_card(self):
            type(self).objects.filter(pk=self.pk).update(logo_card=self.logo_card.name)

    def get_absolute_url(self):
        return slug_address("organisations:detail", self.slug)

    def get_kind_display(self):
        """The kind's label, looked up in ``Kind`` itself: Django's own lookup rebuilds a
        dictionary of every choice, translating each label, on every call (a sixth of what
        a directory card costs)."""
        try:
            return str(self.Kind(self.kind).label)
        except ValueError:
            return self.kind

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def text_in(self, field: str, language: str | None = None) -> Text:
        """The organisation's ``field`` ("summary" or "description") for a reader of
        ``language`` (the active one): in their language when the organisation gave it,
        else the original (``self.language``), else whatever language it has."""
        reader = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        for code in (reader, self.language, *TEXT_LANGUAGES):
            if text := getattr(self, f"{field}_{code}", None):
                return Text(text, code, foreign=code != reader)
        return Text("", reader, foreign=False)

    def set_text(self, field: str, language: str, text: str) -> None:
        """Write the organisation's ``field`` in ``language`` (whatever language is active)."""
        setattr(self, f"{field}_{language}", text or None)

    @property
    def confirmed_since(self) -> datetime.date:
        """The day since which the details count as confirmed: ``last_confirmed``, else the
        day it was published, else the day it was created (see ``Confirmation``)."""
        if self.last_confirmed:
            return self.last_confirmed
        moment = self.published_at or self.created or timezone.now()
        return timezone.localdate(moment)

    @property
    def is_stale(self) -> bool:
        """Not confirmed for more than ``Confirmation.STALE_AFTER_MONTHS`` months."""
        return self.confirmed_since < Confirmation.stale_before()

    @property
    def public_name(self):
        """The name to show where the organisation appears beside others (as organiser,
        facilitator, participant, partner; on pages, feeds and calendars): its name while
        it is published, else a neutral label, so that a pending, rejected or archived
        organisation is never named in public."""
        return self.name if self.is_published else str(_("an organisation no longer listed"))

    @property
    def logo_absolute_url(self):
        """The logo's full address: MEDIA_URL under SITE_URL, or the object store's own."""
        return absolute_url(self.logo.url) if self.logo else ""

    @property
    def display_name(self):
        if self.short_name and self.short_name.lower() != self.name.lower():
            return f"{self.name} ({self.short_name})"
        return self.name

    def visible_contact(self, user, *, role=UNKNOWN_ROLE):
        """The contact details this user may see, as a dict of field name to value.
        ``role`` is their ``role_for`` this organisation, when the caller has read it."""
        allowed = {Visibility.PUBLIC}
        if user.is_authenticated:
            allowed.add(Visibility.MEMBERS)
            if role is UNKNOWN_ROLE:
                role = self.role_for(user)
            if role is not None:
                allowed.add(Visibility.ADMINS)
        return self.contact_shown_at(allowed)

    def members_contact(self):
        """The contact details every signed-in member may see (public and members-only)."""
        return self.contact_shown_at({Visibility.PUBLIC, Visibility.MEMBERS})

    def contact_shown_at(self, allowed):
        """The contact details whose visibility is one of ``allowed``, by field name."""
        contact = {}
        if self.email and self.email_visibility in allowed:
            contact["email"] = self.email
        if self.phone and self.phone_visibility in allowed:
            contact["phone"] = self.phone
        if (self.address or self.postcode) and self.address_visibility in allowed:
            contact["address"] = self.address
            contact["postcode"] = self.postcode
        return contact

    def role_for(self, user):
        """The role in which ``user`` acts for this organisation (``editable_by``), or
        ``None`` if they may not act for it. One query for a signed-in user."""
        if user is None or not user.is_authenticated:
            return None
        return (
            Organisation.objects.editable_by(user)
            .filter(pk=self.pk)
            .values_list("acting_role", flat=True)
            .first()
        )

    def is_editable_by(self, user, *, role=None):
        """Whether ``user`` may act for this organisation (in ``role``, when given)."""
        acting = self.role_for(user)
        return acting is not None and (role is None or acting == role)


def published_cards(ids, *, using=DEFAULT_DB_ALIAS):
    """The published organisations among ``ids``, with their cards' columns only, by id:
    ``Organisation.objects.published().for_cards().in_bulk(ids)``, from a statement compiled
    once per process (``peacenet.lib.compiled``). A page of results reads its rows by id on
    every request; ``in_bulk`` compiled its query afresh each time, about half its Python."""
    ids = [int(pk) for pk in ids]
    if not ids:
        return {}
    encoded = (
        "{" + ",".join(map(str, ids)) + "}"
        if connections[using].vendor == "postgresql"
        else json.dumps(ids)
    )
    return {card.pk: card for card in _published_cards(encoded, using=using)}


def _cards_query(value, vendor):
    # The ids as one parameter: an array on PostgreSQL, a JSON array on SQLite.
    ids = value(
        "SELECT unnest(%s::bigint[])"
        if vendor == "postgresql"
        else "SELECT value FROM json_each(%s)"
    )
    return Organisation.objects.published().for_cards().filter(pk__in=ids).order_by()


_published_cards = CompiledQuery(_cards_query)


class FormerSlug(models.Model):
    """An address an organisation had before it was renamed. Old links (in mail, bookmarks,
    other sites) to it and its pages are redirected for good to the current address."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="former_slugs",
    )
    slug = models.SlugField(_("former slug"), max_length=220)
    created = models.DateTimeField(_("renamed at"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="formerslug_slug_unique"),
        ]

    def __str__(self):
        return self.slug


class MembershipQuerySet(models.QuerySet):
    def with_owner_count(self):
        """Annotate ``owner_count``: how many owners each membership's organisation has, which
        ``Membership.is_sole_owner`` reads."""
        owners = (
            Membership.objects.filter(
                organisation=OuterRef("organisation"), role=MembershipRole.OWNER
            )
            .order_by()
            .values("organisation")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(owner_count=Coalesce(Subquery(owners), 0))


class Membership(models.Model):
    """A user who may act for an organisation."""

    Role = MembershipRole

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.EDITOR)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_user_organisation_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values),
                name="membership_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user}, {self.organisation} ({self.get_role_display()})"

    @property
    def is_sole_owner(self) -> bool:
        """Whether this is its organisation's only owner, who may neither leave nor step down
        until someone else is owner: an organisation always keeps an owner. Reads
        ``owner_count`` (``Membership.objects.with_owner_count()``)."""
        return self.role == MembershipRole.OWNER and self.owner_count <= 1


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class ClaimRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ClaimRequest.Status.PENDING)


class ClaimRequest(models.Model):
    """A signed-in user asks to become the owner of an organisation that admins pre-loaded."""

    Status = ClaimStatus

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="claims",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="organisation_claims",
    )
    justification = models.TextField(_("why you represent this organisation"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    decision_note = models.TextField(_("note to the requester"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ClaimRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("claim request")
        verbose_name_plural = _("claim requests")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status=ClaimStatus.PENDING),
                name="claimrequest_one_pending_per_user",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claimrequest_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation}"


class EditorInvitation(models.Model):
    """An owner invites someone by email to edit the organisation's profile."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("editor invitation")
        verbose_name_plural = _("editor invitations")
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=Q(accepted_at__isnull=True),
                name="editorinvitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"


class PassedOn(models.TextChoices):
    """How staff passed on a message for an organisation that nobody manages on PeaceNet."""

    FORWARDED = "forwarded", _("Forwarded to the organisation's email address")
    CLAIM_INVITATION = "claim_invitation", _("Sent with an invitation to claim the entry")


class ContactMessageQuerySet(models.QuerySet):
    def waiting_for_staff(self):
        """Messages for organisations without owners that staff have not passed on yet."""
        return self.filter(via_staff=True, passed_on_at__isnull=True)


class ContactMessage(models.Model):
    """A message sent through an organisation's contact form, without revealing addresses.

    It goes to the organisation's owners; an organisation without owners (an entry staff
    pre-loaded) is reached through staff, who pass the message on (``passed_on``)."""

    PassedOn = PassedOn

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contact_messages",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="sent_contact_messages",
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    created = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), default=0)
    delivered_at = models.DateTimeField(
        _("queued for delivery at"),
        null=True,
        blank=True,
        help_text=_(
            "When the message was handed to the mail worker, which delivers it and tries "
            "again while the mail server is away (see Task Results)."
        ),
    )
    delivery_error = models.CharField(_("delivery error"), max_length=250, blank=True)
    reported_at = models.DateTimeField(_("reported as abuse at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    report_reason = models.TextField(_("why it is abuse"), blank=True)
    via_staff = models.BooleanField(
        _("for staff to pass on"),
        default=False,
        help_text=_("The organisation had no owner on PeaceNet, so the message went to staff."),
    )
    passed_on = models.CharField(_("passed on"), max_length=20, choices=PassedOn, blank=True)
    passed_on_at = models.DateTimeField(_("passed on at"), null=True, blank=True)
    passed_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("passed on by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(passed_on__in=["", *PassedOn.values]),
                name="contactmessage_passed_on_valid",
            ),
        ]

    def __str__(self):
        return self.subject


class ReminderStage(models.IntegerChoices):
    STAFF = 0, _("Asked by staff")
    TWELVE_MONTHS = 12, _("After 12 months")
    THIRTEEN_MONTHS = 13, _("After 13 months")
    FOURTEEN_MONTHS = 14, _("After 14 months")


class ConfirmationReminder(models.Model):
    """One request to confirm an organisation's details, mailed to each of its owners and
    editors with a link of their own: by ``send_reminders`` at 12, 13 and 14 months (once per
    stage for the day the entry counted as confirmed from), or at once by staff. The links
    work once: confirming through one of them marks the request ``used_at``."""

    Stage = ReminderStage

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="confirmation_reminders",
    )
    stage = models.PositiveSmallIntegerField(_("sent"), choices=Stage)
    confirmed_since = models.DateField(
        _("confirmed since"), help_text=_("The day the details counted as confirmed from.")
    )
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    used_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("confirmation reminder")
        verbose_name_plural = _("confirmation reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "confirmed_since", "stage"],
                condition=Q(stage__gt=0),
                name="confirmationreminder_once_per_stage",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=ReminderStage.values),
                name="confirmationreminder_stage_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_stage_display()})"


class UnconfirmedOrganisation(Organisation):
    """Published organisations not confirmed for more than
    ``Confirmation.ARCHIVE_SUGGESTED_AFTER_MONTHS``: the staff's queue in the admin, where
    archiving is the suggested action. Nothing is archived by itself."""

    class Meta:
        proxy = True
        verbose_name = _("organisation to review for archiving")
        verbose_name_plural = _("unconfirmed for 24 months: review for archiving")


class Facilitator(models.Model):
    """A person staff appointed to keep a network group going: they post its announcements
    and meetings and see its member list, for the facilitating organisation they belong to."""

    group = models.ForeignKey(
        NetworkGroup,
        verbose_name=_("network group"),
        on_delete=models.CASCADE,
        related_name="facilitators",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="facilitator_appointments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("facilitating organisation"),
        on_delete=models.CASCADE,
        related_name="facilitators",
        help_text=_("The organisation they facilitate for; they must be one of its members."),
    )
    appointed = models.DateTimeField(_("appointed"), auto_now_add=True)

    class Meta:
        ordering = ["group", "organisation__name", "pk"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], name="facilitator_group_user_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user}, {self.organisation} ({self.group})"

    def clean(self):
        super().clean()
        if (
            self.user_id
            and self.organisation_id
            and not Membership.objects.filter(
                user_id=self.user_id, organisation_id=self.organisation_id
            ).exists()
        ):
            raise ValidationError(
                {"user": _("Appoint a member of the facilitating organisation.")}
            )


class AnnouncementQuerySet(models.QuerySet):
    def visible(self):
        """Announcements that staff have not hidden."""
        return self.filter(is_hidden=False)


class Announcement(models.Model):
    """News a facilitator posts to their network group: on the group's page, in its Atom
    feed and in its followers' digests."""

    group = models.ForeignKey(
        NetworkGroup,
        verbose_name=_("network group"),
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=5000)
    link = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[http_url_validator],
        help_text=_("Optional: a web address (http or https) with more."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("posted for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden announcements show nowhere on the site.")
    )
    created = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [
            models.Index(
                fields=["group", "is_hidden", "-created"], name="announcement_group_new_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.group.get_absolute_url()}#announcement-{self.pk}"


class SearchWord(models.Model):
    """A word of the published organisations' texts, for correcting misspelt searches
    (``organisations.search.vocabulary``). A published organisation's words are added when
    it is saved; ``manage.py rebuild_search_words`` recounts them all and drops words no
    published organisation uses any more."""

    word = models.CharField(_("word"), max_length=30, primary_key=True)
    organisations = models.PositiveIntegerField(_("organisations using it"), default=1)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
