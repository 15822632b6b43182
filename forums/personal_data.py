"""What the forums keep about a person, for the "download my data" archive and account erasure."""

from __future__ import annotations

from typing import Any

from forums.models import Comment, Reaction


def export_comments(user: Any) -> list[dict[str, Any]]:
    """Every comment the person wrote, with its text as they typed it (empty once deleted)."""
    comments = Comment.objects.filter(author=user).select_related("content_type").order_by("created_at", "id")
    return [
        {
            "id": comment.public_id,
            "posted_on": comment.created_at,
            "edited_on": comment.edited_at,
            "deleted_on": comment.deleted_at,
            "on": f"{comment.content_type.app_label}.{comment.content_type.model} {comment.object_id}",
            "reply": comment.parent_id is not None,
            "moderation": comment.moderation_state,
            "moderation_reason": comment.moderation_reason,
            "text": comment.source,
        }
        for comment in comments
    ]


def export_reactions(user: Any) -> list[dict[str, Any]]:
    """The person's up and down votes; only the comment's public id, never its author."""
    reactions = Reaction.objects.filter(user=user).select_related("comment").order_by("created_at", "id")
    return [
        {"comment": reaction.comment.public_id, "value": reaction.value, "date": reaction.created_at}
        for reaction in reactions
    ]


def erase_reactions(user: Any) -> None:
    """Votes on comments say what a person thought: they go with the account.
    Comments themselves stay, signed "Deleted participant"."""
    Reaction.objects.filter(user=user).delete()
