from django import forms
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
