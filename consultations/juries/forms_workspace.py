"""Input parsing of the workspace forms only: the rules are in services_workspace."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExpertHearing, Jury
from .services_workspace import MAX_QUESTION_LENGTH


class SeatClaimForm(forms.Form):
    code = forms.CharField(
        label=_("Code on your invitation letter"),
        max_length=20,
        help_text=_("10 letters and digits, e.g. K7MP-Q2XA-9R."),
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, help_text=_("As you gave it when you volunteered.")
    )


class SeatLinkForm(forms.Form):
    account = forms.CharField(
        label=_("E-mail address or pseudonym of the account"),
        max_length=254,
        help_text=_("For a member without e-mail, first create their account at the desk, then give its pseudonym."),
    )


class QuestionForm(forms.Form):
    # Optional with a hearing, which names its expert (services_workspace.question_ask).
    addressed_to = forms.CharField(
        label=_("Expert the question is for"),
        max_length=200,
        required=False,
        help_text=_("Optional if you choose a hearing below: the question then goes to the expert heard."),
    )
    hearing = forms.ModelChoiceField(
        label=_("About the hearing (optional)"), queryset=ExpertHearing.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The other members and the staff see it; your name is never shown."),
    )

    def __init__(self, *args, jury: Jury, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = ExpertHearing.objects.filter(session__jury=jury).select_related("session")
        self.fields["hearing"].empty_label = _("No particular hearing")


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("The expert's written answer"), widget=forms.Textarea(attrs={"rows": 8}))
    answered_by_name = forms.CharField(
        label=_("Answered by"), max_length=200, help_text=_("Name and role of the expert, as they sign.")
    )
    is_public = forms.BooleanField(
        label=_("Publish the question and the answer on the jury's public page"), required=False, initial=True
    )
