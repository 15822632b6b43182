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


@rules.predicate
def target_is_viewable(user: Any, target: Any) -> bool:
    """A target may restrict who sees its discussion by naming a permission in
    `view_permission` (a thread of a members-only forum); others are public."""
    if target is None:
        return False
    permission = getattr(target, "view_permission", None)
    return True if not permission else user.has_perm(permission, target)


@rules.predicate
def comment_target_viewable(user: Any, comment: Any) -> bool:
    return comment is not None and target_is_viewable(user, comment.target)


# ---------------------------------------------------------------- forums and threads

_MEMBERSHIPS_CACHE = "_forums_memberships"


def _forum_of(obj: Any) -> Any:
    """The forum a forum, thread or question belongs to."""
    from forums.models import Forum, Question, Thread

    if isinstance(obj, Forum):
        return obj
    if isinstance(obj, Thread):
        return obj.forum
    if isinstance(obj, Question):
        return obj.thread.forum
    return None


def memberships_of(user: Any) -> dict[int, str]:
    """{forum id: role} of every forum the person belongs to, loaded once per user object,
    so that a page checking a permission per post asks the database once."""
    from forums.models import Membership

    if not getattr(user, "is_authenticated", False):
        return {}
    if not hasattr(user, _MEMBERSHIPS_CACHE):
        rows = Membership.objects.filter(user_id=user.pk).values_list("forum_id", "role")
        setattr(user, _MEMBERSHIPS_CACHE, dict(rows))
    return getattr(user, _MEMBERSHIPS_CACHE)


def forget_cached_memberships(user: Any) -> None:
    if hasattr(user, _MEMBERSHIPS_CACHE):
        delattr(user, _MEMBERSHIPS_CACHE)


@rules.predicate
def forum_is_public(user: Any, obj: Any) -> bool:
    forum = _forum_of(obj)
    return forum is not None and not forum.is_members_only


@rules.predicate
def is_forum_member(user: Any, obj: Any) -> bool:
    forum = _forum_of(obj)
    return forum is not None and forum.pk in memberships_of(user)


@rules.predicate
def thread_is_open(user: Any, thread: Any) -> bool:
    return thread is not None and not thread.is_closed and not thread.is_hidden


@rules.predicate
def thread_is_live_event(user: Any, thread: Any) -> bool:
    return thread is not None and thread.is_live_event


@rules.predicate
def question_is_approved(user: Any, question: Any) -> bool:
    from forums.models import QuestionStatus

    return question is not None and question.status == QuestionStatus.APPROVED


@rules.predicate
def question_thread_is_open(user: Any, question: Any) -> bool:
    return question is not None and thread_is_open(user, question.thread)


@rules.predicate
def is_question_author(user: Any, question: Any) -> bool:
    return question is not None and getattr(user, "is_authenticated", False) and question.author_id == user.pk
