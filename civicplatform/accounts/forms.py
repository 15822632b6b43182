"""Account forms: the extra signup fields, the profile, and the erasure confirmation.

They only parse and validate; writes happen in services.py (and, for signup,
in the allauth adapter).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.territory.models import District

PSEUDONYM_MIN_LENGTH = 2
PSEUDONYM_MAX_LENGTH = 40
# Names that would let someone pass for an erased account or for the institution.
RESERVED_PSEUDONYMS = {
    "participant",
    "participante",
    "deleted participant",
    "participant supprimé",
    "participante supprimée",
    "anonyme",
    "anonymous",
    "admin",
    "administrateur",
    "administration",
    "mairie",
    "moderateur",
    "modérateur",
    "moderation",
    "modération",
}
# Oldest and youngest plausible ages for someone holding an account.
MAX_AGE = 120
MIN_AGE = 10
# Metropolitan departments 01-95 (Corsica keeps 20xxx codes), overseas 97x and 98x.
FRENCH_POSTAL_CODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|97|98)\d{3}$")


def normalise_pseudonym(value: str) -> str:
    # NFC so that "é" typed two ways is one pseudonym; collapse runs of spaces.
    return " ".join(unicodedata.normalize("NFC", value).split())


def validate_pseudonym(value: str, *, exclude_user: User | None = None) -> str:
    """Return the normalised pseudonym, or raise ValidationError with a message the person can act on."""
    value = normalise_pseudonym(value)
    if len(value) < PSEUDONYM_MIN_LENGTH:
        raise forms.ValidationError(
            _("Your pseudonym must have at least %(min)d characters."),
            code="too_short",
            params={"min": PSEUDONYM_MIN_LENGTH},
        )
    if "@" in value:
        # A pseudonym is public: an e-mail address there would be published.
        raise forms.ValidationError(
            _("Your pseudonym is shown publicly: it must not be an e-mail address."), code="email"
        )
    if value.casefold() in RESERVED_PSEUDONYMS:
        raise forms.ValidationError(_("This pseudonym is reserved. Please choose another one."), code="reserved")
    # Compare with the same LOWER() as the database constraint user_unique_pseudonym_ci.
    taken = User.objects.alias(pseudonym_lower=Lower("pseudonym")).filter(pseudonym_lower=Lower(Value(value)))
    if exclude_user is not None:
        taken = taken.exclude(pk=exclude_user.pk)
    if taken.exists():
        raise forms.ValidationError(
            _(
                "The pseudonym “%(pseudonym)s” is already taken (capital letters do not count). "
                "Please choose another one."
            ),
            code="taken",
            params={"pseudonym": value},
        )
    return value


def pseudonym_field() -> forms.CharField:
    return forms.CharField(
        label=_("Public pseudonym"),
        max_length=PSEUDONYM_MAX_LENGTH,
        help_text=_(
            "Shown next to everything you post, sign or propose. Your e-mail address is never shown. "
            "You may use your real name or not."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )


class SignupExtraForm(forms.Form):
    """Fields allauth adds to its signup forms (ACCOUNT_SIGNUP_FORM_CLASS).

    allauth derives both its local and its social signup forms from this
    class, so every way in asks for a pseudonym and for consent. The values
    are saved by CivicAccountAdapter.save_user, in the same INSERT as the user.
    """

    field_order = ["email", "pseudonym", "password1", "password2", "accept_terms"]

    pseudonym = pseudonym_field()
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and the personal data notice"),
        required=True,
        error_messages={"required": _("You need to accept the terms of use to create an account.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In a new tab, so that reading them does not lose what was typed in the form.
        self.fields["accept_terms"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            settings.ACCOUNTS_TERMS_URL,
            _("Read the terms of use and the personal data notice (opens in a new tab)"),
        )

    def clean_pseudonym(self) -> str:
        return validate_pseudonym(self.cleaned_data["pseudonym"])

    def signup(self, request, user) -> None:
        """Required by allauth; the adapter already saved everything."""


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves. E-mail and password have their own pages."""

    pseudonym = pseudonym_field()
    # Longer than the five digits kept, so "69 003" typed with a space is accepted and cleaned.
    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=8,
        help_text=_("Optional. Five digits, for example 75011."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    class Meta:
        model = User
        fields = ["pseudonym", "district", "birth_year", "postal_code"]
        labels = {
            "district": _("District"),
            "birth_year": _("Birth year"),
        }
        help_texts = {
            "district": _("Some participations are open to the residents of one district only."),
            "birth_year": _("Optional. Some participations have an age condition; only the year is asked."),
        }
        widgets = {
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        district.queryset = District.objects.order_by("name")
        district.empty_label = _("I do not know / not listed")
        if self.instance.verification_level >= VerificationLevel.RESIDENT:
            # The district of a verified resident comes from the verification; changing
            # it here would let anyone vote in another district's budget.
            district.disabled = True
            district.help_text = _("Set when your residence was verified. To change it, contact the town hall.")
        year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update({"min": year - MAX_AGE, "max": year - MIN_AGE})

    def clean_pseudonym(self) -> str:
        return validate_pseudonym(self.cleaned_data["pseudonym"], exclude_user=self.instance)

    def clean_birth_year(self) -> int | None:
        value = self.cleaned_data.get("birth_year")
        if value is None:
            return None
        year = timezone.localdate().year
        if not (year - MAX_AGE <= value <= year - MIN_AGE):
            raise forms.ValidationError(
                _("Enter a birth year between %(oldest)d and %(youngest)d."),
                code="implausible",
                params={"oldest": year - MAX_AGE, "youngest": year - MIN_AGE},
            )
        return value

    def clean_postal_code(self) -> str:
        value = "".join(self.cleaned_data.get("postal_code", "").split())
        if value and not FRENCH_POSTAL_CODE.match(value):
            raise forms.ValidationError(
                _("Enter a French postal code of five digits, for example 75011."), code="invalid"
            )
        return value


class EraseAccountForm(forms.Form):
    """Confirms an account deletion: the password when there is one, and an explicit tick."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be deleted and that this cannot be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you want to delete your account.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            # Accounts opened through an identity provider confirm by signing in again instead.
            del self.fields["password"]

    def clean_password(self) -> str:
        from allauth.account.adapter import get_adapter

        password = self.cleaned_data["password"]
        # Through the authentication backends, so django-axes counts wrong guesses.
        if not get_adapter().reauthenticate(self.user, password):
            raise forms.ValidationError(_("This password is not correct."), code="wrong_password")
        return password
