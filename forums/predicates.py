"""Questions the forums permissions are made of (combined in forums/rules.py).

The roles (authenticated, e-mail confirmed, blocked, moderator of a space) come
from civicplatform.core.predicates; they remember per user object what they
read, so a page of fifty comments asks the database once.
"""

from __future__ import annotations

from typing import Any

import rules
from wagtail.models import Page


def discussion_is_open(target: Any) -> bool:
    """A target may close its discussion by defining `accepts_comments()` (a closed
    petition, a finished consultation); unpublished CMS pages never accept comments."""
    if target is None:
        return False
    if isinstance(target, Page) and not target.live:
        return False
    accepts = getattr(target, "accepts_comments", None)
    if accepts is None:
        return True
    return bool(accepts() if callable(accepts) else accepts)


@rules.predicate
def target_accepts_comments(user: Any, target: Any) -> bool:
    return discussion_is_open(target)


@rules.predicate
def is_comment_author(user: Any, comment: Any) -> bool:
    return comment is not None and getattr(user, "is_authenticated", False) and comment.author_id == user.pk


@rules.predicate
def comment_is_live(user: Any, comment: Any) -> bool:
    """Neither deleted nor hidden by moderation."""
    return comment is not None and not comment.is_deleted and not comment.is_hidden


@rules.predicate
def comment_is_deleted(user: Any, comment: Any) -> bool:
    return comment is not None and comment.is_deleted


@rules.predicate
def comment_discussion_open(user: Any, comment: Any) -> bool:
    return comment is not None and discussion_is_open(comment.target)
