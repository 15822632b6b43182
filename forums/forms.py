from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import MAX_QUESTION_LENGTH, Alignment, ReactionValue, ThreadKind
from forums.services import MAX_COMMENT_LENGTH, QuestionAction
from forums.services.threads import MAX_CONCLUSION_LENGTH, MAX_THREAD_TEXT_LENGTH

TEXT_HELP = _(
    "Leave a blank line between paragraphs. To quote, start the lines with “>”. To add a link, paste its "
    "address or write [text](https://…). To notify someone, write @ and their pseudonym. Be courteous: "
    "comments are public."
)
# In a members-only forum (a citizens' jury deliberating) what is written is not public.
PRIVATE_TEXT_HELP = _(
    "Leave a blank line between paragraphs. To quote, start the lines with “>”. To add a link, paste its "
    "address or write [text](https://…). To notify someone, write @ and their pseudonym. Be courteous: only "
    "the members of this forum and the organising team can read it."
)


def discussion_is_private(target: Any) -> bool:
    """A thread of a members-only forum (or the forum itself): only its members and the staff read it."""
    forum = target if hasattr(target, "is_members_only") else getattr(target, "forum", None)
    return bool(getattr(forum, "is_members_only", False))


class CommentForm(forms.Form):
    # The prefix keeps the field's id unique on pages that carry other forms.
    prefix = "comment"

    text = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        strip=True,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, private: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if private:
            self.fields["text"].help_text = PRIVATE_TEXT_HELP


class DebateContributionForm(CommentForm):
    """A top-level contribution to a debate says where it stands."""

    alignment = forms.ChoiceField(label=_("Your position"), choices=Alignment.choices, widget=forms.RadioSelect)
    field_order = ["alignment", "text"]


def comment_form_for(target: Any) -> type[CommentForm]:
    return DebateContributionForm if getattr(target, "takes_alignment", False) else CommentForm


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


class ThreadForm(forms.Form):
    prefix = "thread"

    kind = forms.ChoiceField(label=_("Kind"), choices=ThreadKind.choices, initial=ThreadKind.DISCUSSION)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For a debate, the question put to the participants."),
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=MAX_THREAD_TEXT_LENGTH,
        required=False,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, structured: bool = False, private: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if private:
            self.fields["text"].help_text = PRIVATE_TEXT_HELP
        # Debates and live events are opened by the forum's moderators; others only start discussions.
        if not structured:
            del self.fields["kind"]
            self.fields["title"].help_text = ""
            self.fields["text"].required = True


class CloseThreadForm(forms.Form):
    prefix = "close"

    conclusion = forms.CharField(
        label=_("Conclusions"),
        max_length=MAX_CONCLUSION_LENGTH,
        help_text=_(
            "Published at the top of the thread, which becomes read-only: what was said and what happens next."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class QuestionForm(forms.Form):
    prefix = "question"

    text = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION_LENGTH,
        help_text=_("A moderator reads every question before it is shown to the audience."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionModerationForm(forms.Form):
    action = forms.ChoiceField(choices=QuestionAction.choices)
    into = forms.UUIDField(label=_("Merge into"), required=False)
