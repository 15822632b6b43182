from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class CivicFormRenderer(TemplatesSetting):
    """Every form renders through one accessible template: labels, required
    marker in text, errors tied to inputs, and an error summary that takes focus."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
