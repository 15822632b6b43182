from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import ReactionValue
from forums.services import MAX_COMMENT_LENGTH


class CommentForm(forms.Form):
    # The prefix keeps the field's id unique on pages that carry other forms.
    prefix = "comment"

    text = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        strip=True,
        help_text=_(
            "Leave a blank line between paragraphs. To add a link, paste its address "
            "or write [text](https://…). Be courteous: comments are public."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DeleteCommentForm(forms.Form):
    # Shown only to a moderator deleting someone else's comment: the reason goes to the audit log.
    reason = forms.CharField(
        label=_("Reason for deleting"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReactionForm(forms.Form):
    value = forms.TypedChoiceField(
        choices=[("up", _("Useful")), ("down", _("Not useful"))],
        coerce=lambda choice: ReactionValue.UP if choice == "up" else ReactionValue.DOWN,
    )
