from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicplatform.accounts.models import VerificationLevel
from civicplatform.territory.models import District
from civicplatform.verification.models import RegisterKind

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
MAX_REGISTER_FILE_BYTES = 20 * 1024 * 1024


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when there is one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _postal_code_field(**kwargs) -> forms.CharField:
    return forms.RegexField(
        label=kwargs.pop("label", _("Postal code")),
        regex=r"^\s*\d{5}\s*$",
        max_length=10,
        error_messages={"invalid": _("Enter a postal code of five digits, for example 45100.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        **kwargs,
    )


class IdentityForm(forms.Form):
    """What a person types to be found in the census or the electoral list."""

    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        help_text=_("Your birth name, as on your identity card."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_names = forms.CharField(
        label=_("First names"),
        max_length=200,
        help_text=_("All your first names, in the order of your identity card."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("For example 14/07/1985."),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    postal_code = _postal_code_field(help_text=_("The postal code of your home."))

    def clean_birth_date(self) -> datetime.date:
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate() or value.year < 1900:
            raise forms.ValidationError(_("Check the date of birth."))
        return value

    def clean_postal_code(self) -> str:
        return self.cleaned_data["postal_code"].strip()


class RegisterImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Register"), choices=RegisterKind.choices, widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: last_name, first_names, birth_date, postal_code (French headers nom, prenoms, "
            "date_naissance, code_postal also work). The file is read and discarded: only keyed hashes are kept."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    replace = forms.BooleanField(
        label=_("Replace the previous list"),
        required=False,
        help_text=_(
            "Remove the entries of this register that the new file no longer lists, unless they already "
            "verified an account."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_REGISTER_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it in several files."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a CSV file (.csv)."))
        return upload


class LetterRequestForm(forms.Form):
    recipient = forms.CharField(
        label=_("Name on the letter box"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    address_line1 = forms.CharField(
        label=_("Street and number"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line2 = forms.CharField(
        label=_("Additional address details"),
        max_length=200,
        required=False,
        help_text=_("Building, floor, flat…"),
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    postal_code = _postal_code_field()
    city = forms.CharField(
        label=_("Town"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )

    def clean_postal_code(self) -> str:
        return self.cleaned_data["postal_code"].strip()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code received by post"),
        max_length=20,
        help_text=_("Eight letters and digits, for example ABCD-2345."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )


class DeskSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Pseudonym or e-mail address"),
        max_length=150,
        min_length=2,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class DeskAccountForm(forms.Form):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=40,
        help_text=_("Shown publicly instead of the person's name. Agree on it with the person."),
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all(), required=False)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1900)
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Only if the person has one and wants to use it."),
    )
    identity_checked = forms.BooleanField(
        label=_("I have seen an identity document and proof of address: verify this person as a resident now"),
        required=False,
        help_text=_("Do not write down the document number."),
    )

    def clean_birth_year(self) -> int | None:
        value = self.cleaned_data.get("birth_year")
        if value is not None and value > timezone.localdate().year:
            raise forms.ValidationError(_("Check the birth year."))
        return value


class DeskVerifyForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Verify as"),
        coerce=int,
        choices=[
            (VerificationLevel.RESIDENT, _("Resident (identity document and proof of address seen)")),
            (VerificationLevel.ELECTOR, _("Registered elector (checked on the electoral list of the municipality)")),
        ],
        widget=forms.RadioSelect,
        initial=VerificationLevel.RESIDENT,
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all(), required=False)
    identity_checked = forms.BooleanField(
        label=_("I have seen the person and their identity document"),
        help_text=_("Do not write down the document number."),
    )
    last_name = forms.CharField(label=_("Last name (optional)"), max_length=150, required=False)
    first_names = forms.CharField(label=_("First names (optional)"), max_length=200, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth (optional)"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    postal_code = _postal_code_field(label=_("Postal code (optional)"), required=False)

    def clean(self):
        data = super().clean()
        identity = [data.get(name) for name in ("last_name", "first_names", "birth_date", "postal_code")]
        if any(identity) and not all(identity):
            raise forms.ValidationError(
                _("To link the register, fill in the last name, first names, date of birth and postal code.")
            )
        if data.get("postal_code"):
            data["postal_code"] = data["postal_code"].strip()
        return data

    def cleaned_data_for_service(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "identity_checked"}
        for key in ("last_name", "first_names", "postal_code"):
            data[key] = data.get(key) or ""
        return data


class ConflictDecisionForm(forms.Form):
    REASSIGN = "reassign"
    REJECT = "reject"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (REASSIGN, _("Give the register entry to the account asking (the other account loses it)")),
            (REJECT, _("Reject the request (the entry stays with the current account)")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("For example: identity checked at the desk on 3 March. Kept in the audit log."),
    )
