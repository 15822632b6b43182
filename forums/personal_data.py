"""What the forums keep about a person, for the "download my data" archive and account erasure."""

from __future__ import annotations

from typing import Any

from forums.models import Comment, Membership, Question, QuestionVote, Reaction, Thread


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


def export_threads(user: Any) -> list[dict[str, Any]]:
    """The threads the person started, with their opening text as typed."""
    threads = Thread.objects.filter(author=user).select_related("forum").order_by("created_at", "id")
    return [
        {
            "id": thread.public_id,
            "forum": thread.forum.title,
            "title": thread.title,
            "kind": thread.kind,
            "started_on": thread.created_at,
            "moderation": thread.moderation_state,
            "text": thread.source,
        }
        for thread in threads
    ]


def export_memberships(user: Any) -> list[dict[str, Any]]:
    memberships = Membership.objects.filter(user=user).select_related("forum").order_by("created_at", "id")
    return [
        {"forum": membership.forum.title, "role": membership.role, "since": membership.created_at}
        for membership in memberships
    ]


def export_questions(user: Any) -> list[dict[str, Any]]:
    """The questions the person asked during live events, and what became of them."""
    questions = Question.objects.filter(author=user).select_related("thread").order_by("created_at", "id")
    return [
        {
            "id": question.public_id,
            "event": question.thread.title,
            "asked_on": question.created_at,
            "status": question.status,
            "text": question.text,
        }
        for question in questions
    ]


def export_question_votes(user: Any) -> list[dict[str, Any]]:
    votes = QuestionVote.objects.filter(user=user).select_related("question").order_by("created_at", "id")
    return [{"question": vote.question.public_id, "date": vote.created_at} for vote in votes]


def erase_memberships(user: Any) -> None:
    """An erased account belongs to no forum any more (it could not log in to read it anyway)."""
    Membership.objects.filter(user=user).delete()


def erase_question_votes(user: Any) -> None:
    """Support for a question says what a person cared about: it goes with the account.
    Questions stay, signed "Deleted participant"."""
    QuestionVote.objects.filter(user=user).delete()
