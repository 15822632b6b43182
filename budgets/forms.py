"""Input parsing for participatory budgets. The rules themselves are in services.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from civicplatform.territory.models import District

from .models import BudgetProcess, Project, ProjectStatus

# What browsers and phones produce; other formats (HEIC, TIFF, SVG) are refused with a clear message.
PHOTO_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
PHOTO_SLOTS = 3
MAX_COST = 10**11


def validate_photo(upload: Any) -> None:
    """Size and format of an uploaded photo (ImageField has already checked it is an image)."""
    if upload is None:
        return
    limit = settings.BUDGETS_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This photo is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="photo_size",
        )
    image = getattr(upload, "image", None)
    image_format = getattr(image, "format", None)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(
            _("Send a photo in JPEG, PNG or WebP format."),
            code="photo_format",
        )


class PhotoField(forms.ImageField):
    default_error_messages = {
        "invalid_image": _("This file is not a photo we can read. Send a JPEG, PNG or WebP image."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("validators", [validate_photo])
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")


class ProjectForm(forms.Form):
    """A resident's project idea."""

    budget = forms.ModelChoiceField(
        label=_("Budget"),
        queryset=None,
        empty_label=None,
        help_text=_("The city-wide budget, or the budget of the district where the project would take place."),
    )
    title = forms.CharField(label=_("Title of the project"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=300, help_text=_("One or two sentences that make people want to read more.")
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What would be done, where, for whom, and why it is useful."),
    )
    cost = forms.IntegerField(
        label=_("Estimated cost in euros"),
        min_value=1,
        max_value=MAX_COST,
        help_text=_("A whole number of euros, for example 15000. The technical review will check it."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label=_("Several districts or the whole town"),
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=255,
        required=False,
        help_text=_("For example “Square Jean-Moulin, near the playground”."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=Decimal("-90"),
        max_value=Decimal("90"),
        max_digits=9,
        decimal_places=6,
        localize=True,
        help_text=_("Optional. Decimal degrees, for example 47.901234."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=Decimal("-180"),
        max_value=Decimal("180"),
        max_digits=9,
        decimal_places=6,
        localize=True,
        help_text=_("Optional. Decimal degrees, for example 1.904567."),
    )

    def __init__(self, *args: Any, process: BudgetProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        self.fields["budget"].queryset = process.budgets.select_related("district")
        self.fields["category"].queryset = process.categories.all()
        if not process.categories.all():
            del self.fields["category"]
        for number in range(1, PHOTO_SLOTS + 1):
            self.fields[f"photo_{number}"] = PhotoField(
                label=_("Photo %(number)d") % {"number": number},
                help_text=_("Optional. JPEG, PNG or WebP, up to %(limit)s.")
                % {"limit": filesizeformat(settings.BUDGETS_PHOTO_MAX_BYTES)},
            )
            self.fields[f"photo_{number}_alt"] = forms.CharField(
                label=_("What photo %(number)d shows") % {"number": number},
                max_length=250,
                required=False,
                help_text=_("Required with a photo: a short description for people who cannot see it."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        for number in range(1, PHOTO_SLOTS + 1):
            if data.get(f"photo_{number}") and not data.get(f"photo_{number}_alt", "").strip():
                self.add_error(f"photo_{number}_alt", _("Describe the photo for people who cannot see it."))
        if self.errors and self.files:
            # Browsers never send a file twice: say so next to the photos.
            self.add_error(None, _("Your photos were not kept: select them again before sending."))
        return data

    def photos(self) -> list[tuple[Any, str]]:
        return [
            (self.cleaned_data[f"photo_{number}"], self.cleaned_data.get(f"photo_{number}_alt", ""))
            for number in range(1, PHOTO_SLOTS + 1)
            if self.cleaned_data.get(f"photo_{number}")
        ]


class ProjectFilterForm(forms.Form):
    """The filters above the project list (GET). Values are slugs; the cleaned values are objects."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    budget = forms.ChoiceField(label=_("Budget"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    on_ballot = forms.BooleanField(label=_("Only the projects on the ballot"), required=False)

    def __init__(self, *args: Any, process: BudgetProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Budgets and categories come from the prefetched process; districts in one query.
        self._budgets = {budget.slug: budget for budget in process.budgets.all()}
        self._categories = {category.slug: category for category in process.categories.all()}
        self._districts = {district.slug: district for district in District.objects.order_by("name")}
        self.fields["budget"].choices = [("", _("All budgets"))] + [(s, b.name) for s, b in self._budgets.items()]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (s, c.name) for s, c in self._categories.items()
        ]
        self.fields["district"].choices = [("", _("All districts"))] + [(s, d.name) for s, d in self._districts.items()]
        self.fields["status"].choices = [("", _("All statuses")), *ProjectStatus.choices]
        if not self._categories:
            del self.fields["category"]

    def clean_budget(self) -> Any:
        return self._budgets.get(self.cleaned_data.get("budget") or "")

    def clean_category(self) -> Any:
        return self._categories.get(self.cleaned_data.get("category") or "")

    def clean_district(self) -> Any:
        return self._districts.get(self.cleaned_data.get("district") or "")


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ProjectStatus.FEASIBLE, _("Feasible")), (ProjectStatus.UNFEASIBLE, _("Not feasible"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Public reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published on the project page. Required when the project is not feasible."),
    )
    final_cost = forms.IntegerField(
        label=_("Cost estimated by the services, in euros"),
        required=False,
        min_value=1,
        max_value=MAX_COST,
        help_text=_("Leave empty to keep the cost estimated by the author."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == ProjectStatus.UNFEASIBLE and not data.get("reason", "").strip():
            self.add_error("reason", _("Explain publicly why the project is not feasible."))
        return data


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Project.objects.none(),
        to_field_name="public_id",
        empty_label=None,
        help_text=_("The project that will carry on. This one will show “merged into” with a link."),
    )
    merge_reason = forms.CharField(
        label=_("Public reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. By default: “Merged with a similar project”."),
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates


class ShortlistForm(forms.Form):
    per_budget = forms.IntegerField(
        label=_("Projects to shortlist in each budget"),
        min_value=1,
        max_value=500,
        help_text=_("The feasible projects with the most supports go on the ballot; ties at the cut are all kept."),
    )


class MilestoneForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    status = forms.CharField(
        label=_("Status in a few words"), max_length=120, required=False, help_text=_("For example “Works started”.")
    )
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        help_text=_("From 0 to 100. At 100 % the project is marked completed."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photo = PhotoField(label=_("Photo"))
    photo_alt_text = forms.CharField(
        label=_("What the photo shows"),
        max_length=250,
        required=False,
        help_text=_("Required with a photo: a short description for people who cannot see it."),
    )

    def __init__(self, *args: Any, has_photo: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_photo = has_photo
        if has_photo:
            self.fields["remove_photo"] = forms.BooleanField(label=_("Remove the current photo"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        keeps_photo = self.has_photo and not data.get("remove_photo")
        if (data.get("photo") or keeps_photo) and not data.get("photo_alt_text", "").strip():
            self.add_error("photo_alt_text", _("Describe the photo for people who cannot see it."))
        return data
