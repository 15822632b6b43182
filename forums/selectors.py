"""Reads for comments (the section shown under a commentable item), forums,
threads and live-event questions, and the access helpers the views use."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from civicplatform.core.registry import has_capability
from forums.events import viewer_key
from forums.models import (
    Comment,
    CommentSort,
    Forum,
    ForumVisibility,
    Question,
    QuestionStatus,
    QuestionVote,
    Reaction,
    Thread,
)
from forums.predicates import discussion_is_open, memberships_of, target_is_viewable

COMMENTS_PER_PAGE = 20
SORT_PARAM = "tri_commentaires"
PAGE_PARAM = "page_commentaires"

_ORDERINGS = {
    CommentSort.BEST: ("-score", "-created_at", "-id"),
    CommentSort.NEWEST: ("-created_at", "-id"),
    CommentSort.OLDEST: ("created_at", "id"),
    CommentSort.MOST_DISCUSSED: ("-reply_count", "-created_at", "-id"),
}


@dataclass
class CommentSection:
    target: models.Model
    count: int
    sort: CommentSort
    page: PaginatorPage
    can_comment: bool


def normalise_target(target: Any) -> Any:
    # A page reached through the tree is a plain wagtailcore Page; comments belong to its specific type.
    return target.specific if isinstance(target, Page) else target


def target_label(target: models.Model) -> str:
    return target._meta.label_lower


def target_key(target: models.Model) -> str:
    """How a target appears in public URLs: its UUID when it has one, else its primary key."""
    public_id = getattr(target, "public_id", None)
    return str(public_id) if public_id is not None else str(target.pk)


def target_url(target: models.Model, request: Any = None) -> str:
    if isinstance(target, Page):
        return target.get_url(request) or "/"
    get_absolute_url = getattr(target, "get_absolute_url", None)
    return get_absolute_url() if callable(get_absolute_url) else "/"


def get_commentable_target(label: str, key: str) -> models.Model:
    """The target named in a URL, or 404 when it does not exist, is not open to
    comments (not registered "commentable"), or is an unpublished page."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as error:
        raise Http404 from error
    if not has_capability("commentable", model):
        raise Http404
    field = "public_id" if any(f.name == "public_id" for f in model._meta.concrete_fields) else "pk"
    try:
        target = model._default_manager.filter(**{field: key}).first()
    except (ValueError, ValidationError) as error:
        raise Http404 from error
    if target is None or (isinstance(target, Page) and not target.live):
        raise Http404
    return target


def get_comment(public_id: Any, user: Any = None) -> Comment:
    """A comment by its public id, with its target loaded, or 404 (also when the
    target is no longer commentable, e.g. an unpublished page, or when `user` may
    not see it, e.g. a thread of a members-only forum)."""
    comment = Comment.objects.select_related("author", "content_type").filter(public_id=public_id).first()
    if comment is None:
        raise Http404
    target = comment.target
    if target is None or not has_capability("commentable", target):
        raise Http404
    if isinstance(target, Page) and not target.live:
        raise Http404
    if isinstance(target, Thread):
        comment.target = target = Thread.objects.select_related("forum").get(pk=target.pk)
    if user is not None and not target_is_viewable(user, target):
        raise Http404
    return comment


def comment_count(target: models.Model) -> int:
    return Comment.objects.for_target(target).not_deleted().count()


def _reaction_totals(comments: list[Comment], user: Any) -> dict[int, dict[str, Any]]:
    """Up and down counts of every comment on the page, and the viewer's own reaction, in one query."""
    if not comments:
        return {}
    aggregates: dict[str, Any] = {
        "up": Count("pk", filter=Q(value=1)),
        "down": Count("pk", filter=Q(value=-1)),
    }
    if getattr(user, "is_authenticated", False):
        aggregates["mine"] = Max("value", filter=Q(user_id=user.pk))
    rows = (
        Reaction.objects.filter(comment_id__in=[comment.pk for comment in comments])
        .values("comment_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {row["comment_id"]: row for row in rows}


def decorate_comments(comments: list[Comment], *, target: models.Model, user: Any) -> None:
    """Attach to each comment what the fragment template shows: reaction counts,
    the viewer's reaction and what the viewer may do with it."""
    totals = _reaction_totals(comments, user)
    is_open = discussion_is_open(target)
    for comment in comments:
        comment.target = target
        comment.author_key = viewer_key(comment.author) if comment.author_id else ""
        # What any participant but its author could do, for fragments pushed to every viewer.
        comment.open_to_participants = is_open and not comment.is_deleted and not comment.is_hidden
        row = totals.get(comment.pk, {})
        comment.up_count = row.get("up", 0)
        comment.down_count = row.get("down", 0)
        comment.my_reaction = row.get("mine")
        comment.can_reply = user.has_perm("forums.reply_comment", comment)
        comment.can_edit = user.has_perm("forums.change_comment", comment)
        comment.can_delete = user.has_perm("forums.delete_comment", comment)
        comment.can_react = user.has_perm("forums.react_comment", comment)
        if not hasattr(comment, "children"):
            comment.children = []


def comment_section(*, target: models.Model, user: Any, sort: str = "", page_number: Any = None) -> CommentSection:
    """Everything the comments section of `target` shows, in a constant number of queries:
    a page of top-level comments in the chosen order, each with its reply tree."""
    target = normalise_target(target)
    chosen = CommentSort(sort) if sort in CommentSort.values else CommentSort.BEST
    comments = Comment.objects.for_target(target)
    top_level = comments.top_level().displayable().with_score().select_related("author")
    if chosen == CommentSort.MOST_DISCUSSED:
        top_level = top_level.with_reply_count()
    top_level = top_level.order_by(*_ORDERINGS[chosen])
    page = Paginator(top_level, COMMENTS_PER_PAGE).get_page(page_number)
    roots = list(page.object_list)
    replies = list(
        comments.filter(root__in=[root.pk for root in roots])
        .select_related("author", "in_reply_to__author")
        .order_by("created_at", "id")
    )
    children: dict[int, list[Comment]] = defaultdict(list)
    for reply in replies:
        children[reply.parent_id].append(reply)

    def attach(comment: Comment) -> bool:
        # A reply its author deleted stays only as long as it keeps replies of its own in context.
        comment.children = [child for child in children.get(comment.pk, []) if attach(child)]
        return not comment.is_deleted or bool(comment.children)

    for root in roots:
        attach(root)
    decorate_comments(roots + replies, target=target, user=user)
    page.object_list = roots
    return CommentSection(
        target=target,
        count=comment_count(target),
        sort=chosen,
        page=page,
        can_comment=user.has_perm("forums.add_comment", target),
    )


# ---------------------------------------------------------------- forums and threads

THREADS_PER_PAGE = 20
THREAD_SORT_PARAM = "tri"


class ThreadSort(models.TextChoices):
    # Values appear in public URLs (?tri=activite), hence French.
    ACTIVITY = "activite", _("Latest activity")
    NEWEST = "recents", _("Newest")
    MOST_DISCUSSED = "discutes", _("Most discussed")


_THREAD_ORDERINGS = {
    ThreadSort.ACTIVITY: ("-last_activity_at", "-id"),
    ThreadSort.NEWEST: ("-created_at", "-id"),
    ThreadSort.MOST_DISCUSSED: ("-post_count", "-last_activity_at", "-id"),
}


def forums_visible_to(user: Any) -> models.QuerySet[Forum]:
    """Public forums, and the members-only ones the person belongs to (as a member or one of
    its moderators); staff see them all. A site-wide moderator is no member: a jury's
    deliberation stays private (forums.rules.sees_forum)."""
    forums = Forum.objects.all()
    if not getattr(user, "is_authenticated", False):
        return forums.filter(visibility=ForumVisibility.PUBLIC)
    if user.is_staff:
        return forums
    return forums.filter(Q(visibility=ForumVisibility.PUBLIC) | Q(pk__in=list(memberships_of(user))))


def forum_list(user: Any) -> list[Forum]:
    """The forums a person may read, each with its number of visible threads."""
    visible_threads = Count("threads", filter=Q(threads__moderation_state="visible"))
    return list(forums_visible_to(user).annotate(thread_count=visible_threads))


def get_forum_for_user(user: Any, slug: str, perm: str = "forums.view_forum") -> Forum:
    """The forum, or 404 when it does not exist or the person may not see it (a members-only
    forum does not reveal itself to outsiders); PermissionDenied when they may see it but not `perm`."""
    from django.core.exceptions import PermissionDenied

    forum = Forum.objects.filter(slug=slug).first()
    if forum is None or not user.has_perm("forums.view_forum", forum):
        raise Http404
    if perm != "forums.view_forum" and not user.has_perm(perm, forum):
        raise PermissionDenied
    return forum


def _post_count() -> Subquery:
    from django.contrib.contenttypes.models import ContentType

    posts = (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(Thread), object_id=OuterRef("pk"), deleted_at__isnull=True
        )
        .order_by()
        .values("object_id")
        .annotate(total=Count("pk"))
    )
    return Coalesce(Subquery(posts.values("total")[:1]), 0)


def _public_question_count() -> Subquery:
    questions = (
        Question.objects.filter(thread=OuterRef("pk"), status__in=[QuestionStatus.APPROVED, QuestionStatus.ANSWERED])
        .order_by()
        .values("thread")
        .annotate(total=Count("pk"))
    )
    return Coalesce(Subquery(questions.values("total")[:1]), 0)


@dataclass
class ThreadListing:
    forum: Forum
    sort: ThreadSort
    page: PaginatorPage


def thread_list(*, forum: Forum, sort: str = "", page_number: Any = None) -> ThreadListing:
    """One page of a forum's threads with their number of posts (or questions), in constant queries."""
    chosen = ThreadSort(sort) if sort in ThreadSort.values else ThreadSort.ACTIVITY
    threads = (
        Thread.objects.filter(forum=forum)
        .select_related("author")
        .annotate(post_count=_post_count(), question_count=_public_question_count())
        .order_by(*_THREAD_ORDERINGS[chosen])
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(page_number)
    for thread in page.object_list:
        thread.forum = forum
    return ThreadListing(forum=forum, sort=chosen, page=page)


def get_thread_for_user(user: Any, forum_slug: str, thread_slug: str) -> Thread:
    """The thread, with its forum, or 404 when it does not exist or the person may not see it."""
    thread = (
        Thread.objects.select_related("forum", "author", "closed_by")
        .filter(forum__slug=forum_slug, slug=thread_slug)
        .first()
    )
    if thread is None or not user.has_perm("forums.view_thread", thread):
        raise Http404
    return thread


def thread_by_public_id(public_id: Any) -> Thread | None:
    return Thread.objects.select_related("forum").filter(public_id=public_id).first()


# ---------------------------------------------------------------- live-event questions


def questions_with_votes(questions: models.QuerySet[Question]) -> models.QuerySet[Question]:
    votes = QuestionVote.objects.filter(question=OuterRef("pk")).order_by().values("question").annotate(n=Count("pk"))
    return questions.select_related("author", "merged_into").annotate(
        vote_count=Coalesce(Subquery(votes.values("n")[:1]), 0)
    )


@dataclass
class QuestionBoard:
    on_screen: Question | None
    approved: list[Question]
    answered: list[Question]
    pending: list[Question]
    can_ask: bool
    moderator: bool


def question_board(*, thread: Thread, user: Any) -> QuestionBoard:
    """The questions of a live event as `user` sees them: approved ones by support,
    answered ones, and for moderators the queue. Three queries, whatever the number."""
    moderator = user.has_perm("forums.moderate_question", Question(thread=thread))
    statuses = [QuestionStatus.APPROVED, QuestionStatus.ANSWERED]
    if moderator:
        statuses.append(QuestionStatus.PENDING)
    questions = questions_with_votes(Question.objects.filter(thread=thread, status__in=statuses))
    if getattr(user, "is_authenticated", False):
        mine = QuestionVote.objects.filter(question=OuterRef("pk"), user_id=user.pk)
        questions = questions.annotate(my_vote=Exists(mine))
    rows = list(questions.order_by("-pinned", "-vote_count", "created_at", "id"))
    for question in rows:
        question.thread = thread
        question.can_vote = user.has_perm("forums.vote_question", question)
    return QuestionBoard(
        on_screen=next((q for q in rows if q.pinned), None),
        approved=[q for q in rows if q.status == QuestionStatus.APPROVED],
        answered=[q for q in rows if q.status == QuestionStatus.ANSWERED],
        pending=[q for q in rows if q.status == QuestionStatus.PENDING],
        can_ask=user.has_perm("forums.ask_question", thread),
        moderator=moderator,
    )


def pinned_question(thread: Thread) -> Question | None:
    return questions_with_votes(Question.objects.filter(thread=thread, pinned=True)).first()


def get_question(public_id: Any, user: Any) -> Question:
    """A question by its public id, or 404 when its thread is not visible to `user`, or it is not
    public and `user` does not moderate it."""
    question = Question.objects.select_related("thread__forum", "author").filter(public_id=public_id).first()
    if question is None or not user.has_perm("forums.view_thread", question.thread):
        raise Http404
    if not question.is_public and not user.has_perm("forums.moderate_question", question):
        raise Http404
    return question


def private_forums_hidden_from(user: Any) -> list[tuple[int, str]]:
    """Members-only forums this person is not a member of, as moderation spaces (core registry
    "private spaces"): even a site-wide moderator does not see a jury's deliberation."""
    forums = Forum.objects.filter(visibility=ForumVisibility.MEMBERS)
    if getattr(user, "is_authenticated", False):
        forums = forums.exclude(memberships__user=user)
    forum_type = ContentType.objects.get_for_model(Forum).pk
    return [(forum_type, str(pk)) for pk in forums.values_list("pk", flat=True)]
