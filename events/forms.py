import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Event


class EventAdminForm(forms.ModelForm):
    """The event form of the admin: explains the rules the database and services keep."""

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "kind",
            "summary",
            "is_published",
            "is_demo",
            "start",
            "end",
            "venue",
            "address",
            "city",
            "organiser",
            "network_groups",
            "description",
            "outcome",
            "video_url",
            "report_url",
            "capacity",
        ]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if not self.instance.pk:
            return capacity
        taken = self.instance.registrations.confirmed().count()
        if taken and capacity is None:
            raise forms.ValidationError(
                _("People have registered; keep a capacity of at least %(taken)s.")
                % {"taken": taken}
            )
        if capacity is not None and capacity < taken:
            raise forms.ValidationError(
                ngettext(
                    "%(taken)s person already has a place; the capacity cannot be lower.",
                    "%(taken)s people already have a place; the capacity cannot be lower.",
                    taken,
                )
                % {"taken": taken}
            )
        return capacity


# An event submitted on the site lasts at most this long (a conference of several days, not
# a season).
LONGEST_EVENT = datetime.timedelta(days=14)


def local_moment(day: datetime.date, time: datetime.time) -> datetime.datetime | None:
    """``day`` at ``time`` on the portal's clock (Europe/Amsterdam), or None for a time that
    does not exist there (skipped when summer time begins)."""
    zone = timezone.get_current_timezone()
    naive = datetime.datetime.combine(day, time)
    moment = naive.replace(tzinfo=zone)
    if moment.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return moment


class EventDetailsForm(forms.ModelForm):
    """What, when and where of an event someone adds on the site (a network group's meeting
    added by its facilitator): a date with start and end
    times on the portal's clock (Europe/Amsterdam), in the future, ending after it starts."""

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Time in The Hague (Europe/Amsterdam)."),
    )
    end_day = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if it ends the same day."),
    )
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("People can register for a place on PeaceNet; leave empty if they cannot."),
    )

    class Meta:
        model = Event
        fields = ["title", "summary", "description", "venue", "address", "city", "capacity"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["title", "day", "start_time", "end_day", "end_time"])

    def clean(self):
        cleaned = super().clean()
        day, start_time, end_time = (cleaned.get(f) for f in ("day", "start_time", "end_time"))
        end_day = cleaned.get("end_day") or day
        start = local_moment(day, start_time) if day and start_time else None
        end = local_moment(end_day, end_time) if end_day and end_time else None
        if day and start_time and start is None:
            self.add_error("start_time", _("This time does not exist in The Hague that day."))
        if end_day and end_time and end is None:
            self.add_error("end_time", _("This time does not exist in The Hague that day."))
        if start and start <= timezone.now():
            self.add_error("day", _("Choose a date and time in the future."))
        elif start and end and end <= start:
            self.add_error("end_time", _("The event must end after it starts."))
        elif start and end and end - start > LONGEST_EVENT:
            self.add_error("end_day", _("An event added here lasts at most 14 days."))
        elif start and end:
            self.instance.start, self.instance.end = start, end
        return cleaned

    def details(self) -> dict:
        """The event's fields as plain data, for the services."""
        names = [*self._meta.fields, "start", "end"]
        return {name: getattr(self.instance, name) for name in names}


class EventSubmissionForm(EventDetailsForm):
    """An event a member submits for review, for one of their published organisations."""

    organisation = forms.ModelChoiceField(label=_("Organised by"), queryset=None, empty_label=None)

    class Meta(EventDetailsForm.Meta):
        fields = ["kind", *EventDetailsForm.Meta.fields]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.order_fields(["organisation", "title", "kind", "day", "start_time"])
