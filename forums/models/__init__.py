"""Comments (attachable to any "commentable" model), forums and their threads,
the numbered events a live thread broadcasts, and live-event questions."""

from __future__ import annotations

from forums.models.comments import (
    MAX_COMMENT_DEPTH,
    Alignment,
    Comment,
    CommentSort,
    Reaction,
    ReactionValue,
)
from forums.models.questions import (
    MAX_QUESTION_LENGTH,
    PUBLIC_QUESTION_STATUSES,
    Question,
    QuestionStatus,
    QuestionVote,
)
from forums.models.threads import (
    Forum,
    ForumVisibility,
    Membership,
    MembershipRole,
    Thread,
    ThreadEvent,
    ThreadKind,
)

__all__ = [
    "MAX_COMMENT_DEPTH",
    "MAX_QUESTION_LENGTH",
    "PUBLIC_QUESTION_STATUSES",
    "Alignment",
    "Comment",
    "CommentSort",
    "Forum",
    "ForumVisibility",
    "Membership",
    "MembershipRole",
    "Question",
    "QuestionStatus",
    "QuestionVote",
    "Reaction",
    "ReactionValue",
    "Thread",
    "ThreadEvent",
    "ThreadKind",
]
