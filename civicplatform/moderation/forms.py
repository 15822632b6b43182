from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicplatform.moderation.models import ModerationState, ReportCategory
from civicplatform.moderation.selectors import QueueStatus

REASON_MAX_LENGTH = 1000


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is the problem?"),
        choices=ReportCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for your report.")},
    )
    note = forms.CharField(
        label=_("Details"),
        help_text=_("Optional, except for “Other”. Moderators read it; it is never published."),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Honeypot: people never see or fill it (see _honeypot_field.html); bots that fill every field do.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        template_name="moderation/_honeypot_field.html",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("category") == ReportCategory.OTHER and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Describe the problem so that the moderators understand it."))
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.is_bound and (self.data.get(self.add_prefix("website")) or "").strip())


def _reason_field(label: str, help_text: str = "", *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideForm(forms.Form):
    prefix = "hide"
    reason = _reason_field(
        _("Public reason"),
        _("Shown to everyone in place of the content, e.g. “Insulting message (rule 2 of the charter)”."),
    )


class RestoreForm(forms.Form):
    prefix = "restore"
    reason = _reason_field(_("Why is the content shown again?"), _("Kept in the audit log, not published."))


class DismissForm(forms.Form):
    prefix = "dismiss"
    reason = _reason_field(
        _("Note for the audit log"),
        _("Optional. The content stays visible (or becomes visible again if it was hidden automatically)."),
        required=False,
    )


class BlockForm(forms.Form):
    prefix = "block"
    reason = _reason_field(
        _("Justification"),
        _("Kept in the audit log. The person can no longer contribute until the block is lifted."),
    )


class UnblockForm(forms.Form):
    reason = _reason_field(_("Why is the block lifted?"), _("Kept in the audit log."))


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Reports"), choices=QueueStatus.choices, required=False)
    content_state = forms.ChoiceField(
        label=_("Content"),
        choices=[("", _("any state")), *ModerationState.choices],
        required=False,
    )
