from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FollowKind, Frequency


class FollowForm(forms.Form):
    """What to follow: a kind and the slug of the thing, or a directory search's query."""

    kind = forms.ChoiceField(choices=FollowKind.choices)
    slug = forms.SlugField(max_length=220, required=False)
    query = forms.CharField(max_length=1000, required=False, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") and data["kind"] != FollowKind.SEARCH and not data.get("slug"):
            raise forms.ValidationError(_("Say what to follow."))
        return data


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often should we mail you a digest?"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )
