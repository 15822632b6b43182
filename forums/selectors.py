"""Reads for comments: the section shown under a commentable item, and the access
helpers the views use to find a target or a comment."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Max, Q
from django.http import Http404
from wagtail.models import Page

from civicplatform.core.registry import has_capability
from forums.models import Comment, CommentSort, Reaction

COMMENTS_PER_PAGE = 20
SORT_PARAM = "tri_commentaires"
PAGE_PARAM = "page_commentaires"

_ORDERINGS = {
    CommentSort.BEST: ("-score", "-created_at", "-id"),
    CommentSort.NEWEST: ("-created_at", "-id"),
    CommentSort.OLDEST: ("created_at", "id"),
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


def get_comment(public_id: Any) -> Comment:
    """A comment by its public id, with its target loaded, or 404 (also when the
    target is no longer commentable, e.g. an unpublished page)."""
    comment = Comment.objects.select_related("author", "content_type").filter(public_id=public_id).first()
    if comment is None:
        raise Http404
    target = comment.target
    if target is None or not has_capability("commentable", target):
        raise Http404
    if isinstance(target, Page) and not target.live:
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
    for comment in comments:
        comment.target = target
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
    top_level = comments.top_level().displayable().with_score().select_related("author").order_by(*_ORDERINGS[chosen])
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
