"""Writes on comments and reactions. Each service checks its own rules and
explains a refusal in words a participant understands. When the commented item
is a forum thread, each change is also recorded as a numbered thread event and
pushed to the people viewing it once committed (forums.events)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplatform.core.registry import has_capability
from civicplatform.core.services import audit_record
from civicplatform.moderation.selectors import user_is_blocked
from forums import events
from forums.models import MAX_COMMENT_DEPTH, Alignment, Comment, Reaction, ReactionValue
from forums.predicates import discussion_is_open, target_is_viewable
from forums.services.common import BLOCKED_MESSAGE, CommentRateLimited, check_can_participate, check_rate
from forums.services.mentions import notify_mentions
from forums.text import render_comment_text

MAX_COMMENT_LENGTH = 5000

__all__ = [
    "BLOCKED_MESSAGE",
    "MAX_COMMENT_LENGTH",
    "CommentRateLimited",
    "comment_create",
    "comment_delete",
    "comment_edit",
    "comment_react",
    "ensure_can_comment",
    "ensure_can_edit",
]


def _check_discussion_open(target: models.Model) -> None:
    if not discussion_is_open(target):
        raise PermissionDenied(_("This discussion is closed."))


def _check_can_see(user: Any, target: models.Model) -> None:
    if not target_is_viewable(user, target):
        raise PermissionDenied(_("This discussion is reserved for the members of its forum."))


def _check_rate(user: Any) -> None:
    check_rate(user, scope="comment", limit=getattr(settings, "FORUMS_COMMENTS_PER_MINUTE", 10))


def _clean_alignment(target: models.Model, parent: Comment | None, alignment: str) -> str:
    """A top-level contribution to a debate says where it stands; nothing else takes a side."""
    if parent is not None or not getattr(target, "takes_alignment", False):
        return ""
    if alignment not in Alignment.values:
        raise ValidationError({"alignment": _("Say whether your contribution is for, against or neutral.")})
    return alignment


def _render(text: str) -> tuple[str, str]:
    source = text.strip()
    if len(source) > MAX_COMMENT_LENGTH:
        raise ValidationError({"text": _("Keep your comment under %(max)d characters.") % {"max": MAX_COMMENT_LENGTH}})
    body = render_comment_text(source)
    if not body:
        raise ValidationError({"text": _("Write something before posting.")})
    return source, body


def ensure_can_comment(*, user: Any, target: models.Model, parent: Comment | None = None) -> None:
    """Raise PermissionDenied, with the reason in plain words, unless `user` may
    post on `target` (or reply to `parent`) now."""
    if not has_capability("commentable", target):
        raise PermissionDenied(_("Comments are not open on this item."))
    check_can_participate(user)
    _check_can_see(user, target)
    _check_discussion_open(target)
    if parent is not None and (parent.is_deleted or parent.is_hidden):
        raise PermissionDenied(_("This comment can no longer receive replies."))


def ensure_can_edit(*, comment: Comment, editor: Any) -> None:
    """Raise PermissionDenied, with the reason, unless `editor` may edit `comment` now."""
    if not getattr(editor, "is_authenticated", False) or comment.author_id != editor.pk:
        raise PermissionDenied(_("Only the author of a comment can edit it."))
    if user_is_blocked(editor):
        raise PermissionDenied(BLOCKED_MESSAGE)
    if comment.is_deleted:
        raise PermissionDenied(_("This comment has been deleted."))
    if comment.is_hidden:
        raise PermissionDenied(_("This comment was hidden by a moderator and can no longer be edited."))
    _check_can_see(editor, comment.target)
    _check_discussion_open(comment.target)


def comment_create(
    *, author: Any, target: models.Model, text: str, parent: Comment | None = None, alignment: str = ""
) -> Comment:
    """Post a comment on `target`, or a reply to `parent` (which must belong to it).

    A reply to a comment already at the deepest level is filed beside it, under
    the same parent, and remembers which comment it answers. A top-level
    contribution to a debate takes a side (`alignment`). People it @mentions
    are notified, if they may see the discussion.
    """
    ensure_can_comment(user=author, target=target, parent=parent)
    in_reply_to = None
    if parent is not None:
        same_target = (
            parent.content_type_id == ContentType.objects.get_for_model(target).pk and parent.object_id == target.pk
        )
        if not same_target:
            raise ValidationError(_("This reply does not belong to this discussion."))
        if parent.depth >= MAX_COMMENT_DEPTH:
            in_reply_to = parent
            parent = parent.parent
    alignment = _clean_alignment(target, parent, alignment)
    source, body = _render(text)
    _check_rate(author)
    comment = Comment(
        target=target,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        in_reply_to=in_reply_to,
        depth=parent.depth + 1 if parent else 0,
        author=author,
        source=source,
        body=body,
        alignment=alignment,
    )
    with transaction.atomic():
        comment.save()
        events.record_comment(comment, events.COMMENT_CREATED)
        notify_mentions(comment=comment)
    return comment


def comment_edit(*, comment: Comment, editor: Any, text: str) -> Comment:
    """The author corrects their comment while the discussion is open; it is then marked as edited."""
    ensure_can_edit(comment=comment, editor=editor)
    source, body = _render(text)
    if source == comment.source:
        return comment
    previous = comment.source
    comment.source = source
    comment.body = body
    comment.edited_at = timezone.now()
    with transaction.atomic():
        comment.save(update_fields=["source", "body", "edited_at"])
        events.record_comment(comment, events.COMMENT_EDITED)
        # Only names added by the edit are notified: nobody hears twice of the same mention.
        notify_mentions(comment=comment, previous_source=previous)
    return comment


def comment_delete(*, comment: Comment, actor: Any, reason: str = "") -> Comment:
    """Remove a comment's text. The row stays while replies hang from it, shown as
    "deleted"; a moderator deleting someone else's comment is audited with a reason."""
    if comment.is_deleted:
        return comment
    if not actor.has_perm("forums.delete_comment", comment):
        raise PermissionDenied(_("You cannot delete this comment."))
    by_moderator = comment.author_id != actor.pk
    if by_moderator and not reason.strip():
        raise ValidationError({"reason": _("Explain why you delete this participant's comment.")})
    with transaction.atomic():
        comment.deleted_at = timezone.now()
        comment.deleted_by_moderator = by_moderator
        # The author asked for the text to go: nothing of it is kept.
        comment.source = ""
        comment.body = ""
        comment.save(update_fields=["deleted_at", "deleted_by_moderator", "source", "body"])
        if by_moderator:
            audit_record(
                action="forums.comment_deleted",
                actor=actor,
                target=comment,
                reason=reason.strip(),
                data={"author_id": comment.author_id, "public_id": str(comment.public_id)},
            )
        events.record_comment(comment, events.COMMENT_DELETED)
    return comment


def comment_react(*, comment: Comment, user: Any, value: int) -> int | None:
    """Toggle an up (+1) or down (-1) reaction. Returns the reaction now in place,
    or None when the same button pressed twice removed it.

    The insert comes first and the unique constraint settles races (a double
    click, two tabs): the loser locks the existing row and toggles it.
    """
    if value not in ReactionValue.values:
        raise ValidationError(_("Choose whether the comment is useful or not."))
    check_can_participate(user)
    if comment.author_id == user.pk:
        raise PermissionDenied(_("You cannot react to your own comment."))
    if comment.is_deleted or comment.is_hidden:
        raise PermissionDenied(_("This comment can no longer receive reactions."))
    _check_can_see(user, comment.target)
    _check_discussion_open(comment.target)
    with transaction.atomic():
        result = _toggle_reaction(comment, user, value)
        events.record_comment(comment, events.COMMENT_REACTED)
    return result


def _toggle_reaction(comment: Comment, user: Any, value: int) -> int | None:
    try:
        with transaction.atomic():
            Reaction.objects.create(comment=comment, user=user, value=value)
        return value
    except IntegrityError:
        pass
    existing = Reaction.objects.select_for_update().get(comment=comment, user=user)
    if existing.value == value:
        existing.delete()
        return None
    existing.value = value
    existing.save(update_fields=["value"])
    return value
