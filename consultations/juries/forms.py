"""Input parsing only: the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Jury


class RegistrationForm(forms.Form):
    """A volunteer's registration; one choice field per stratification feature of the jury."""

    code = forms.CharField(
        label=_("Code on your invitation letter"),
        max_length=20,
        help_text=_("10 letters and digits, e.g. K7MP-Q2XA-9R."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("An e-mail or a telephone number."))
    phone = forms.CharField(label=_("Telephone"), max_length=30, required=False)

    def __init__(self, *args, jury: Jury, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.jury = jury
        for feature in jury.features.all():
            self.fields[f"answer_{feature.key}"] = forms.ChoiceField(
                label=feature.label,
                choices=[("", _("Choose…"))] + [(v.key, v.label) for v in feature.values.all()],
            )
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "I agree that the municipality keeps these answers to select the jury by lot. They are deleted "
                "when the jury ends, and only a pseudonym is ever published."
            )
        )

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("answer_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }


class InvitationBatchForm(forms.Form):
    addresses = forms.FileField(
        label=_("Address or electoral list (CSV)"),
        help_text=_("Columns: address, postcode, city and optionally name; separated by commas or semicolons."),
    )
    size = forms.IntegerField(label=_("Number of letters to draw"), min_value=1, max_value=20000)


ALGORITHM_CHOICES = [
    ("maximin", _("Maximin: raise the lowest chance of selection (recommended)")),
    ("leximin", _("Leximin: then raise the next lowest chances, and so on")),
]


class SelectionForm(forms.Form):
    algorithm = forms.ChoiceField(label=_("Algorithm"), choices=ALGORITHM_CHOICES, initial="maximin")
    lottery_size = forms.IntegerField(
        label=_("Number of equally likely panels to draw from"), min_value=10, max_value=10000, initial=1000
    )
    seed_commitments = forms.CharField(
        label=_("Hashes of the seeds of the parties (one per line, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each party publishes the SHA-256 of a secret seed now and reveals the seed at the draw."),
    )

    def commitments(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["seed_commitments"].splitlines() if line.strip()]


class DrawForm(forms.Form):
    dice = forms.CharField(
        label=_("Ten-sided dice results, in order"),
        max_length=200,
        required=False,
        help_text=_("Digits only, e.g. 4 0 7 3 9 1."),
    )
    seeds = forms.CharField(
        label=_("Seeds revealed by the parties (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    witnesses = forms.CharField(label=_("Witnesses"), max_length=500, help_text=_("Names of the people present."))

    def seed_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["seeds"].splitlines() if line.strip()]
