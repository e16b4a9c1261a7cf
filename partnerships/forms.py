from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation

from .models import Answer, Deliverable, Participant, PartnershipProposal, ProgressUpdate

MESSAGE_MAX = 1000


PROPOSAL_FIELDS = [
    "title",
    "summary",
    "description",
    "goals",
    "partners_bring",
    "partners_need",
    "network_group",
    "themes",
    "is_open_call",
    "deadline",
    "funding_name",
    "funding_url",
    "funding_deadline",
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProposalFieldsForm(forms.ModelForm):
    """The proposal's own fields, as proposed and as corrected by the lead: a deadline set
    or changed is not in the past, and only an open call has one."""

    class Meta:
        model = PartnershipProposal
        fields = PROPOSAL_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "partners_bring": forms.Textarea(attrs={"rows": 3}),
            "partners_need": forms.Textarea(attrs={"rows": 3}),
            "deadline": DATE_INPUT,
            "funding_deadline": DATE_INPUT,
        }
        help_texts = {
            "themes": _(
                "Separate themes with commas, for example: gender, youth. A theme PeaceNet "
                "does not have yet is passed to its editors as a suggestion."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in ("deadline", "funding_deadline"):
            day = cleaned.get(name)
            if day and name in self.changed_data and day < today:
                self.add_error(
                    name,
                    _("The deadline cannot be in the past (today is %(today)s).")
                    % {"today": formats.date_format(today)},
                )
        if cleaned.get("deadline") and not cleaned.get("is_open_call"):
            self.add_error(
                "deadline",
                _("Only an open call has a deadline to join: tick “open call” or leave it empty."),
            )
        return cleaned


class ProposalForm(ProposalFieldsForm):
    """A new proposal: what and why, who leads it, and whom to invite."""

    lead = forms.ModelChoiceField(
        label=_("Proposed by"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation you propose for; it leads the partnership."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations to invite"),
        queryset=Organisation.objects.published(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their members are emailed an invitation when you submit the proposal."),
    )
    partner_search = forms.CharField(
        label=_("Find organisations to invite"),
        required=False,
        max_length=100,
        help_text=_("Type part of a name, then choose from the list."),
    )

    class Meta(ProposalFieldsForm.Meta):
        pass

    def __init__(self, *args, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        if len(leads) == 1:
            self.fields["lead"].initial = leads[0].pk
        self.order_fields(["title", "lead", "summary"])

    def clean(self):
        cleaned = super().clean()
        lead, partners = cleaned.get("lead"), cleaned.get("partners")
        if lead and partners and lead in partners:
            self.add_error(
                "partners",
                _("%(name)s leads this proposal; invite other organisations.") % {"name": lead},
            )
        return cleaned


class ProposalEditForm(ProposalFieldsForm):
    """The proposal's own words, for its lead to correct."""


class AnswerForm(forms.Form):
    """Accept or decline an invitation (the button pressed is the decision)."""

    participant = forms.ModelChoiceField(queryset=Participant.objects.none(), label=_("For"))
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], label=_("Answer")
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


class InterestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Join for"), queryset=Organisation.objects.none()
    )
    message = forms.CharField(
        label=_("What would you bring? (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None


class DecideInterestForm(forms.Form):
    participant = forms.ModelChoiceField(
        queryset=Participant.objects.none(), label=_("Organisation")
    )
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], label=_("Decision")
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.published()
    )


class NoteForm(forms.Form):
    """An optional note for withdrawing or completing a proposal."""

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProgressUpdateForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["organisation", "date", "text"]
        widgets = {
            "date": DATE_INPUT,
            "text": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"organisation": _("Posted for")}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None


class DeliverableForm(forms.ModelForm):
    """A deliverable the lead adds: what, which participating organisation, due when (the
    model's ``clean`` checks the date and the organisation)."""

    class Meta:
        model = Deliverable
        fields = ["title", "organisation", "due"]
        widgets = {"due": DATE_INPUT}

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, prefix="deliverable", **kwargs)
        self.instance.proposal = proposal
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=proposal.participants.exclude(answer=Answer.DECLINED).values("organisation")
        ).order_by("name")
        self.fields["organisation"].empty_label = None


class DeliverableDoneForm(forms.Form):
    """Mark a deliverable done, with an optional note."""

    deliverable = forms.ModelChoiceField(queryset=Deliverable.objects.none())
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliverable"].queryset = proposal.deliverables.all()
