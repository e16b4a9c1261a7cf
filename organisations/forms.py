"""Forms for registering and managing organisations. Each accepts only the fields its user may
set: status, moderation, last_confirmed, slug and memberships are never form fields."""

import io
import uuid
import warnings

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .models import Announcement, ClaimRequest, ContactMessage, Organisation, TextLanguage, Theme
from .services.themes import suggestions_for
from .themes import popular_themes
from .widgets import CountryPicker

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 25_000_000  # far above any logo, far below a decompression bomb
LOGO_MAX_SIDE = 1024  # stored logos are scaled down to fit this box
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


class HoneypotMixin(forms.Form):
    """A field people never see and bots fill in.

    ``peacenet/includes/form_field.html`` hides it."""

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(
            attrs={"class": "honeypot", "tabindex": "-1", "autocomplete": "off"}
        ),
    )

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError(
                _("This form looks automated. Leave the hidden field empty and try again.")
            )
        return ""


def clean_logo_file(upload):
    """Check that an upload is a real PNG, JPEG or WebP image of a sane size, and re-encode it.

    Re-encoding drops anything hidden in the file (metadata, trailing data) and scales large
    images down. The pixel count is read from the header before any decoding, so a small
    file that would expand into gigabytes (a decompression bomb) is refused unopened.
    """
    if upload.size > LOGO_MAX_BYTES:
        raise forms.ValidationError(_("The logo is larger than 2 MB. Upload a smaller file."))
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if image_format not in LOGO_FORMATS:
                    raise forms.ValidationError(_("Upload the logo as a PNG, JPEG or WebP image."))
                if width * height > LOGO_MAX_PIXELS:
                    raise forms.ValidationError(
                        _("The image has too many pixels (at most 25 megapixels).")
                    )
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
                if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                buffer = io.BytesIO()
                image.save(buffer, format=image_format)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise forms.ValidationError(
            _("This file is not a readable image. Upload a PNG, JPEG or WebP image.")
        ) from None
    extension = LOGO_FORMATS[image_format]
    return SimpleUploadedFile(
        f"{uuid.uuid4().hex}.{extension}",
        buffer.getvalue(),
        content_type=f"image/{'jpeg' if extension == 'jpg' else extension}",
    )


class OrganisationForm(forms.ModelForm):
    """The profile an organisation keeps current. Used for editing; registering adds consent."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "language",
            "website",
            "email",
            "email_visibility",
            "phone",
            "phone_visibility",
            "address",
            "postcode",
            "address_visibility",
            "city",
            "founded",
            "countries",
            "focus_regions",
            "themes",
            "network_groups",
            "offers",
            "offers_detail",
            "needs",
            "needs_detail",
            "logo",
        ]
        widgets = {
            "email_visibility": forms.RadioSelect,
            "phone_visibility": forms.RadioSelect,
            "address_visibility": forms.RadioSelect,
            "countries": CountryPicker,
            "network_groups": forms.CheckboxSelectMultiple,
            "offers": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
            "offers_detail": forms.Textarea(attrs={"rows": 3}),
            "needs_detail": forms.Textarea(attrs={"rows": 3}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {
            "website": _("The full address, starting with https:// or http://."),
            "themes": _("Separate themes with commas, e.g. gender, youth, mediation."),
            "logo": _("PNG, JPEG or WebP, at most 2 MB."),
            "countries": _("Choose every country your organisation works in or for."),
        }

    # The summary and description in the language the organisation writes (``language``),
    # and optionally in the other interface languages (``summary_fr``, …: ``translations``).
    summary = forms.CharField(
        label=_("Summary"),
        max_length=250,
        help_text=_("One line on what the organisation does."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    TEXTS = ("summary", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_organisation = None
        self.fields["kind"].choices = [("", _("- Select an option -")), *Organisation.Kind.choices]
        self.fields["language"].help_text = _(
            "The language of the summary and description above. Readers of other languages "
            "see them as written, unless you add a translation below."
        )
        # Unless chosen, the texts are in the language of the page they were written on.
        self.fields["language"].required = False
        if not self.instance.pk:
            self.initial.setdefault("language", self.page_language())
        for code, language in TextLanguage.choices:
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Summary in %(language)s") % {"language": language},
                max_length=250,
                required=False,
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description in %(language)s") % {"language": language},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code, "dir": "auto"}),
            )
        if self.instance.pk:
            original = self.instance.language
            for field in self.TEXTS:
                self.initial.setdefault(field, getattr(self.instance, f"{field}_{original}"))
                for code in TextLanguage.values:
                    if code != original:
                        value = getattr(self.instance, f"{field}_{code}")
                        self.initial.setdefault(f"{field}_{code}", value)
        if self.instance.pk:
            # Its themes in the reader's language, and those still waiting for staff.
            waiting = suggestions_for(self.instance)
            self.initial["themes"] = [*self.instance.themes.all(), *waiting]
        if themes := popular_themes():
            self.fields["themes"].help_text = _(
                "Separate themes with commas, for example: %(themes)s. A theme PeaceNet does "
                "not have yet is passed to its editors as a suggestion."
            ) % {"themes": ", ".join(themes)}

    @staticmethod
    def page_language():
        language = (get_language() or "")[:2]
        return language if language in TextLanguage.values else TextLanguage.ENGLISH

    def clean_language(self):
        return self.cleaned_data.get("language") or (
            self.instance.language if self.instance.pk else self.page_language()
        )

    def translations(self):
        """The bound fields of the optional translations, by language."""
        return [
            (code, language, self[f"summary_{code}"], self[f"description_{code}"])
            for code, language in TextLanguage.choices
        ]

    def clean(self):
        cleaned = super().clean()
        original = cleaned.get("language")
        for field in self.TEXTS:
            translation = cleaned.get(f"{field}_{original}") if original else None
            if translation and translation != cleaned.get(field):
                self.add_error(
                    f"{field}_{original}",
                    _(
                        "This is the language you wrote in above: change the text there, "
                        "or choose the language it is in."
                    ),
                )
        return cleaned

    def _post_clean(self):
        # The texts go into their languages' columns: the original into the chosen
        # language's, each translation into its own.
        original = self.cleaned_data.get("language") or self.instance.language
        for field in self.TEXTS:
            for code in TextLanguage.values:
                if f"{field}_{code}" in self.cleaned_data and code != original:
                    self.instance.set_text(field, code, self.cleaned_data[f"{field}_{code}"])
            if field in self.cleaned_data:
                self.instance.set_text(field, original, self.cleaned_data[field])
        super()._post_clean()

    def relations(self) -> dict:
        """The chosen values of the many-to-many fields, which the services set once the
        organisation is saved: ``{"themes": [...], "network_groups": [...], ...}``."""
        return {
            field.name: self.cleaned_data[field.name]
            for field in Organisation._meta.many_to_many
            if field.name in self.cleaned_data
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        existing = (
            Organisation.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        )
        if existing is not None:
            self.existing_organisation = existing
            raise forms.ValidationError(
                _("An organisation called “%(name)s” is already in PeaceNet."),
                code="name_taken",
                params={"name": existing.name},
            )
        return name

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return clean_logo_file(logo)
        return logo


class RegistrationForm(HoneypotMixin, OrganisationForm):
    consent = forms.BooleanField(
        label=_(
            "I may represent this organisation, and I agree that PeaceNet publishes the "
            "information marked for everyone."
        ),
        error_messages={"required": _("Tick this box to register the organisation.")},
    )

    class Meta(OrganisationForm.Meta):
        pass


class ThemeChoiceForm(forms.Form):
    """The theme of the vocabulary that staff use instead of suggested ones."""

    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.order_by("name_en"))


class RejectForm(forms.Form):
    """The reason staff give when rejecting or archiving; it is mailed to the owners."""

    reason = forms.CharField(
        label=_("Reason (sent to the owners)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class InviteEditorForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the new editor"),
        help_text=_("They receive a link that is valid for 7 days."),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ClaimForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = ClaimRequest
        fields = ["justification"]
        widgets = {"justification": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "justification": _(
                "Your role in the organisation and how we can check it, e.g. a page on its "
                "website that names you."
            )
        }


class ContactForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "body": _("The organisation receives your message and your email address to reply to.")
        }

    def clean_subject(self):
        # The subject becomes the mail's Subject header, which must stay one line.
        subject = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError(_("Write the subject on one line."))
        return subject


class ReportAbuseForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this message?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class AnnouncementForm(forms.ModelForm):
    """A facilitator's announcement to their network group."""

    class Meta:
        model = Announcement
        fields = ["title", "text", "link"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "link": {"invalid": _("Enter a web address that begins with http:// or https://.")}
        }
