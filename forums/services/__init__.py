"""Every write of the forums app. Views and tests import from here:
comments and reactions, forums and threads, live-event questions."""

from __future__ import annotations

from forums.services.comments import (
    MAX_COMMENT_LENGTH,
    comment_create,
    comment_delete,
    comment_edit,
    comment_react,
    ensure_can_comment,
    ensure_can_edit,
)
from forums.services.common import BLOCKED_MESSAGE, CommentRateLimited, RateLimited
from forums.services.questions import (
    QuestionAction,
    ensure_can_ask,
    question_ask,
    question_moderate,
    question_vote,
)
from forums.services.threads import (
    ensure_can_start_thread,
    membership_remove,
    membership_set,
    moderation_changed,
    thread_close,
    thread_create,
)

__all__ = [
    "BLOCKED_MESSAGE",
    "MAX_COMMENT_LENGTH",
    "CommentRateLimited",
    "QuestionAction",
    "RateLimited",
    "comment_create",
    "comment_delete",
    "comment_edit",
    "comment_react",
    "ensure_can_ask",
    "ensure_can_comment",
    "ensure_can_edit",
    "ensure_can_start_thread",
    "membership_remove",
    "membership_set",
    "moderation_changed",
    "question_ask",
    "question_moderate",
    "question_vote",
    "thread_close",
    "thread_create",
]
