from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PbImportForm(forms.Form):
    file = forms.FileField(
        label=_("Pabulib file (.pb)"),
        help_text=_("One election per file, as published on pabulib.org. Amounts must be whole numbers."),
    )
    slug = forms.SlugField(
        label=_("Short name in the address"),
        required=False,
        max_length=100,
        help_text=_("Optional: taken from the file name when empty."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".pb"):
            raise forms.ValidationError(_("Choose a file whose name ends in .pb."))
        return upload
