from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicplatform.notifications import kinds
from civicplatform.notifications.kinds import DeliveryMode


class PreferencesForm(forms.Form):
    """One radio group per registered kind of notification."""

    def __init__(self, *args, current: dict[str, DeliveryMode], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.all_kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=DeliveryMode.choices,
                widget=forms.RadioSelect,
                initial=current.get(kind.key, kind.default_delivery),
                error_messages={"required": _("Choose how to receive these notifications.")},
            )


class FollowForm(forms.Form):
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(FOLLOW, _("Follow")), (UNFOLLOW, _("Stop following"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to follow or stop following."),
            "invalid_choice": _("Choose whether to follow or stop following."),
        },
    )
