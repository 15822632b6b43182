"""Forms of the drafting area, the secret vote, minority views and the report: parsing only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicplatform.ballots.receipts import receipt_normalise

from .models import Recommendation, RecommendationStatus
from .selectors_recommendations import LEVEL_ORDER

# <input type="datetime-local"> only accepts ISO values, whatever the site's language.
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Recommendation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the jury recommends, in a few clear sentences."),
    )
    rationale = forms.CharField(
        label=_("Why the jury recommends it"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    # The revision the form was opened on: saving is refused if another one was saved since.
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VoteOpenForm(forms.Form):
    title = forms.CharField(label=_("Title of the vote"), max_length=200)
    recommendations = forms.ModelMultipleChoiceField(
        label=_("Recommendations put to the vote"),
        queryset=Recommendation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_DATETIME)
    )
    threshold_percent = forms.IntegerField(
        label=_("Support needed to adopt (%)"),
        min_value=1,
        max_value=100,
        initial=50,
        help_text=_(
            "A recommendation is adopted when this share of the members who do not abstain support it or "
            "strongly support it."
        ),
    )

    def __init__(self, *args: Any, jury, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recommendations"]
        field.queryset = jury.recommendations.filter(status=RecommendationStatus.DRAFT).order_by("number")
        field.label_from_instance = str


class ReceiptField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Your receipt code"))
        kwargs.setdefault("help_text", _("The code you were given when you voted, such as K7QF-2M9X-HT4P-W8CZ."))
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value and receipt_normalise(value) is None:
            raise ValidationError(_("A receipt code has 16 letters and digits, such as K7QF-2M9X-HT4P-W8CZ."))
        return receipt_normalise(value) if value else value


class SupportBallotForm(forms.Form):
    """One group of radio buttons (a fieldset with its legend) per recommendation put to the vote."""

    def __init__(self, *args: Any, recommendations, with_receipt: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.numbers = [r.number for r in recommendations]
        if with_receipt:
            self.fields["receipt"] = ReceiptField()
        choices = [(str(int(level)), level.label) for level in LEVEL_ORDER]
        for recommendation in recommendations:
            self.fields[f"r{recommendation.number}"] = forms.TypedChoiceField(
                label=str(recommendation),
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level of support, or abstain.")},
            )

    def levels(self) -> dict[int, int]:
        return {number: self.cleaned_data[f"r{number}"] for number in self.numbers}

    @staticmethod
    def initial_from(choices: dict[str, int]) -> dict[str, str]:
        return {f"r{number}": str(level) for number, level in choices.items()}


class MinorityViewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Minority view"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published with the report under the number of members who sign it, never their names."),
    )
    recommendation = forms.ModelChoiceField(
        label=_("About the recommendation"),
        queryset=Recommendation.objects.none(),
        required=False,
        empty_label=_("The jury's work as a whole"),
    )

    def __init__(self, *args: Any, jury, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recommendation"]
        field.queryset = jury.recommendations.exclude(status=RecommendationStatus.WITHDRAWN).order_by("number")
        field.label_from_instance = str


class ReportForm(forms.Form):
    introduction = forms.CharField(label=_("Introduction by the jury"), widget=forms.Textarea(attrs={"rows": 8}))
    method = forms.CharField(label=_("How the jury worked"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
