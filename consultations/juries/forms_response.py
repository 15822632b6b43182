"""Input parsing for the authority's response, progress reports and the overview's filter; the rules
are in services_response."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Decision, ProgressStatus


class ResponseForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text=_("Why the authority decided so, in plain words: they are published with the decision."),
    )
    commitments = forms.CharField(
        label=_("What the authority will do, and by when"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
    )


class ProgressForm(forms.Form):
    reported_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When things stood as described."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("reported_on", timezone.localdate())
        super().__init__(*args, **kwargs)


PENDING = "pending"
NOT_ADOPTED = "not_adopted"


class DecisionFilterForm(forms.Form):
    """The overview's filter (GET): a decision, no answer yet, or not adopted by the jury."""

    decision = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All recommendations")),
            *Decision.choices,
            (PENDING, _("Awaiting a response")),
            (NOT_ADOPTED, _("Not adopted by the jury")),
        ],
    )
