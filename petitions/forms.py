from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from civicplatform.territory.models import District

from .models import CouncilDecision, Petition, PetitionConfig, PetitionKind, RejectionReason, Theme
from .selectors import STATUS_FILTERS

POSTAL_CODE_RE = re.compile(r"^\d{5}$")
DOMAIN_RE = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# <input type="date"> and "datetime-local" only accept ISO values, whatever the site's language.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"
# A name starting with one of these would be read as a formula by a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _no_formula(value: str) -> str:
    value = value.strip()
    if value.startswith(FORMULA_PREFIXES):
        raise forms.ValidationError(_("Start with a letter, not with =, +, - or @."))
    if "http://" in value or "https://" in value or "www." in value:
        raise forms.ValidationError(_("A name cannot contain a web address."))
    return value


def _postal_code(value: str) -> str:
    value = re.sub(r"\s", "", value or "")
    if not POSTAL_CODE_RE.match(value):
        raise forms.ValidationError(_("Enter a French postal code of five digits, for example 45100."))
    return value


class PetitionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All except rejected")),
            ("open", _("Open for signatures")),
            ("threshold", _("Threshold reached")),
            ("answered", _("Answered")),
            ("closed", _("Closed")),
            ("archived", _("Archived")),
            ("rejected", _("Rejected")),
        ],
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), required=False, queryset=Theme.objects.all(), to_field_name="slug", empty_label=_("All")
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        queryset=District.objects.all(),
        to_field_name="slug",
        empty_label=_("All"),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *PetitionKind.choices])

    def clean_status(self) -> str:
        status = self.cleaned_data.get("status") or ""
        return status if status in STATUS_FILTERS else ""


class PetitionForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=PetitionKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A civic petition is open to everyone. A formal request under article L1112-16 can only be signed by "
            "registered electors of the municipality, each of whom may sign one such request per quarter; with "
            "one tenth of the electors, it asks the council to put a consultation or a subject on its agenda."
        ),
    )

    class Meta:
        model = Petition
        fields = ["title", "summary", "details", "theme", "district"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
            "details": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.all()
        self.fields["district"].queryset = District.objects.all()
        kinds = kinds or []
        if len(kinds) > 1 and not self.instance.pk:
            self.fields["kind"].choices = [choice for choice in PetitionKind.choices if choice[0] in kinds]
            self.order_fields(["kind"])
        else:
            del self.fields["kind"]
            self.fixed_kind = kinds[0] if kinds else PetitionKind.CIVIC

    def chosen_kind(self) -> str:
        return self.cleaned_data.get("kind") or getattr(self, "fixed_kind", PetitionKind.CIVIC)


class IdentityForm(forms.Form):
    """What the law asks of an L1112-16 signatory: the list sent to the mayor gives name and address."""

    full_name = forms.CharField(label=_("First and last names"), max_length=120, validators=[_no_formula])
    address = forms.CharField(label=_("Postal address"), max_length=200, help_text=_("Number and street."))
    postal_code = forms.CharField(label=_("Postal code"), max_length=10)
    city = forms.CharField(label=_("Town"), max_length=100)

    def clean_postal_code(self) -> str:
        return _postal_code(self.cleaned_data["postal_code"])

    def clean_full_name(self) -> str:
        return _no_formula(self.cleaned_data["full_name"])

    def identity(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in ("full_name", "address", "postal_code", "city")}


class SignOptionsForm(forms.Form):
    public_name = forms.BooleanField(
        label=_("Show my name on the petition page"),
        required=False,
        help_text=_("Unticked, your name stays private: only the number of signatures is public."),
    )
    notify_response = forms.BooleanField(label=_("Send me the official response"), required=False, initial=True)


class FormalSignForm(IdentityForm, SignOptionsForm):
    pass


class AnonymousSignForm(SignOptionsForm):
    name = forms.CharField(label=_("First and last names"), max_length=120)
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, help_text=_("We send a link to confirm your signature.")
    )
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=10, help_text=_("To count signatures by district.")
    )
    consent = forms.BooleanField(
        label=_("I agree that my name, e-mail address and postal code are kept to count my signature"),
        help_text=_(
            "They are never published without your consent and are anonymised six months after the petition closes."
        ),
        error_messages={"required": _("Tick this box to sign: without it we cannot count your signature.")},
    )
    # Honeypot: people never see or fill it; robots that fill every field do.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        template_name="moderation/_honeypot_field.html",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["name", "email", "postal_code", "public_name", "notify_response", "consent", "website"]

    def clean_name(self) -> str:
        return _no_formula(self.cleaned_data["name"])

    def clean_postal_code(self) -> str:
        return _postal_code(self.cleaned_data["postal_code"])

    @property
    def is_bot(self) -> bool:
        return bool(self.is_bound and (self.data.get(self.add_prefix("website")) or "").strip())


class RejectForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Reason"), queryset=RejectionReason.objects.all(), widget=forms.RadioSelect, empty_label=None
    )
    details = forms.CharField(
        label=_("Explanation for the author"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResponseForm(forms.Form):
    text = forms.CharField(label=_("Official response"), widget=forms.Textarea(attrs={"rows": 10}))
    responded_on = forms.DateField(
        label=_("Date of the response"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    council_decision = forms.ChoiceField(label=_("Council decision"), choices=CouncilDecision.choices)
    council_meeting_on = forms.DateField(
        label=_("Date of the council meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    council_details = forms.CharField(
        label=_("Council decision details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    document_title = forms.CharField(label=_("Document title"), required=False, max_length=150)
    document = forms.FileField(
        label=_("Document"), required=False, help_text=_("PDF or office document, for example the deliberation.")
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("document") and not (cleaned.get("document_title") or "").strip():
            self.add_error("document_title", _("Give the document a title."))
        decision = cleaned.get("council_decision")
        if decision and decision != CouncilDecision.NONE and not cleaned.get("council_meeting_on"):
            self.add_error("council_meeting_on", _("Give the date of the council meeting."))
        return cleaned

    def clean_document(self):
        document = self.cleaned_data.get("document")
        allowed = (".pdf", ".odt", ".ods", ".docx", ".xlsx", ".txt")
        if document and not document.name.lower().endswith(allowed):
            raise forms.ValidationError(_("Attach a PDF, ODT, ODS, DOCX, XLSX or TXT file."))
        return document


class InvalidationForm(forms.Form):
    summary = forms.CharField(label=_("Why"), max_length=200, help_text=_("Kept in the audit log."))
    petition = forms.ModelChoiceField(
        label=_("Petition"), required=False, queryset=Petition.objects.none(), to_field_name="slug"
    )
    ip_hash = forms.CharField(label=_("Connection (hash)"), required=False, max_length=64)
    email_domain = forms.CharField(label=_("E-mail domain"), required=False, max_length=253)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=5)
    name_contains = forms.CharField(label=_("Name contains"), required=False, max_length=120)
    created_after = forms.DateTimeField(
        label=_("Signed from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_DATETIME),
    )
    created_before = forms.DateTimeField(
        label=_("Signed before"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_DATETIME),
    )
    held_only = forms.BooleanField(label=_("Only signatures held for review"), required=False)
    confirmed = forms.BooleanField(
        label=_("I have checked the number of signatures this will invalidate"),
        required=False,
        help_text=_("Leave unticked to see the number first."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["petition"].queryset = Petition.objects.published().order_by("title")

    def clean(self) -> dict:
        cleaned = super().clean()
        clues = ("ip_hash", "email_domain", "postal_code", "name_contains", "created_after", "created_before")
        if not any(cleaned.get(name) for name in clues) and not cleaned.get("held_only"):
            raise forms.ValidationError(_("Give at least one criterion besides the petition."))
        return cleaned


class DisposableDomainForm(forms.Form):
    domain = forms.CharField(label=_("Domain"), max_length=253, help_text=_("For example yopmail.com"))

    def clean_domain(self) -> str:
        domain = self.cleaned_data["domain"].strip().lower().lstrip("@")
        if not DOMAIN_RE.match(domain):
            raise forms.ValidationError(_("Enter a domain name such as yopmail.com."))
        return domain


class PetitionConfigForm(forms.ModelForm):
    class Meta:
        model = PetitionConfig
        fields = [
            "response_threshold",
            "debate_threshold",
            "cosponsors_required",
            "duration_months",
            "moderation_overdue_days",
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        response, debate = cleaned.get("response_threshold"), cleaned.get("debate_threshold")
        if response and debate and debate < response:
            self.add_error("debate_threshold", _("The council threshold cannot be lower than the response threshold."))
        months = cleaned.get("duration_months")
        if months is not None and not 1 <= months <= 24:
            self.add_error("duration_months", _("Choose between 1 and 24 months."))
        return cleaned
