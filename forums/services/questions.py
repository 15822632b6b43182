"""Live event of a public meeting: the audience sends questions and supports them,
moderators approve, merge, dismiss, pin (on the room's screen) and mark them answered."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplatform.core.services import audit_record
from forums import events
from forums.models import MAX_QUESTION_LENGTH, Question, QuestionStatus, QuestionVote, Thread
from forums.predicates import target_is_viewable
from forums.services.common import check_can_participate, check_rate

MIN_QUESTION_LENGTH = 5


class QuestionAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    DISMISS = "dismiss", _("Do not retain")
    ANSWER = "answer", _("Mark as answered")
    PIN = "pin", _("Show on screen")
    UNPIN = "unpin", _("Take off the screen")
    MERGE = "merge", _("Merge into another question")


# action -> statuses it applies to
_ALLOWED_FROM: dict[str, set[str]] = {
    QuestionAction.APPROVE: {QuestionStatus.PENDING, QuestionStatus.DISMISSED},
    QuestionAction.DISMISS: {QuestionStatus.PENDING, QuestionStatus.APPROVED},
    QuestionAction.ANSWER: {QuestionStatus.APPROVED},
    QuestionAction.PIN: {QuestionStatus.APPROVED},
    QuestionAction.UNPIN: {QuestionStatus.APPROVED, QuestionStatus.ANSWERED},
    QuestionAction.MERGE: {QuestionStatus.PENDING, QuestionStatus.APPROVED},
}


def _check_thread_takes_questions(user: Any, thread: Thread) -> None:
    if not target_is_viewable(user, thread):
        raise PermissionDenied(_("This discussion is reserved for the members of its forum."))
    if not thread.is_live_event:
        raise PermissionDenied(_("This discussion does not take questions."))
    if thread.is_closed or thread.is_hidden:
        raise PermissionDenied(_("This live event is over: it no longer takes questions or votes."))


def ensure_can_ask(*, thread: Thread, user: Any) -> None:
    check_can_participate(user)
    _check_thread_takes_questions(user, thread)


def question_ask(*, thread: Thread, author: Any, text: str) -> Question:
    """Send a question; the audience sees it once a moderator approves it."""
    ensure_can_ask(thread=thread, user=author)
    text = " ".join(text.split())
    if len(text) < MIN_QUESTION_LENGTH:
        raise ValidationError({"text": _("Write your question in a few words at least.")})
    if len(text) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            {"text": _("Keep your question under %(max)d characters.") % {"max": MAX_QUESTION_LENGTH}}
        )
    check_rate(author, scope="question", limit=getattr(settings, "FORUMS_QUESTIONS_PER_MINUTE", 3))
    with transaction.atomic():
        question = Question.objects.create(thread=thread, author=author, text=text)
        events.record(thread=thread, kind=events.QUESTION_SUBMITTED, object_id=question.public_id, moderators_only=True)
    return question


def question_vote(*, question: Question, user: Any, support: bool = True) -> bool:
    """Support an approved question (`support`), or withdraw that support. Returns
    whether the person now supports it. Saying the same twice changes nothing:
    one vote per person, and the unique constraint settles double clicks."""
    check_can_participate(user)
    _check_thread_takes_questions(user, question.thread)
    if question.status != QuestionStatus.APPROVED:
        raise PermissionDenied(_("Only the questions approved by the moderators can receive votes."))
    if question.author_id == user.pk:
        raise PermissionDenied(_("You cannot vote for your own question."))
    with transaction.atomic():
        if support:
            try:
                with transaction.atomic():
                    QuestionVote.objects.create(question=question, user=user)
            except IntegrityError:
                return True
        else:
            deleted, _rows = QuestionVote.objects.filter(question=question, user=user).delete()
            if not deleted:
                return False
        events.record(thread=question.thread, kind=events.QUESTION_VOTED, object_id=question.public_id)
    return support


def question_moderate(*, question: Question, actor: Any, action: str, into: Question | None = None) -> Question:
    """Apply a moderator's decision to a question, audited, and show it to everyone viewing."""
    if action not in QuestionAction.values:
        raise ValidationError({"action": _("Choose an action from the list.")})
    if not actor.has_perm("forums.moderate_question", question):
        raise PermissionDenied(_("Only the moderators of this forum can moderate its questions."))
    thread = question.thread
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.status not in _ALLOWED_FROM[action]:
            raise ValidationError(_("This question has changed meanwhile: reload the page and try again."))
        if action == QuestionAction.UNPIN and not locked.pinned:
            raise ValidationError(_("This question is not on screen."))
        was_public = locked.is_public
        previous_status = locked.status
        changed_too: list[tuple[Question, str]] = []
        kind = _apply(locked, action, into, changed_too)
        locked.save()
        audit_record(
            action=f"forums.question_{action}",
            actor=actor,
            target=locked,
            data={
                "public_id": str(locked.public_id),
                "thread": str(thread.public_id),
                "previous_status": previous_status,
                "into": str(into.public_id) if into is not None and action == QuestionAction.MERGE else None,
            },
        )
        events.record(
            thread=thread,
            kind=kind,
            object_id=locked.public_id,
            moderators_only=not was_public and not locked.is_public,
        )
        for other, other_kind in changed_too:
            events.record(thread=thread, kind=other_kind, object_id=other.public_id)
    for field in ("status", "pinned", "merged_into", "answered_at"):
        setattr(question, field, getattr(locked, field))
    return question


def _apply(question: Question, action: str, into: Question | None, changed_too: list[tuple[Question, str]]) -> str:
    """Change `question` in place; note other questions the change touches; return the event kind."""
    if action == QuestionAction.APPROVE:
        question.status = QuestionStatus.APPROVED
        return events.QUESTION_APPROVED
    if action == QuestionAction.DISMISS:
        question.status = QuestionStatus.DISMISSED
        question.pinned = False
        return events.QUESTION_DISMISSED
    if action == QuestionAction.ANSWER:
        question.status = QuestionStatus.ANSWERED
        question.answered_at = timezone.now()
        question.pinned = False
        return events.QUESTION_ANSWERED
    if action == QuestionAction.UNPIN:
        question.pinned = False
        return events.QUESTION_UNPINNED
    if action == QuestionAction.PIN:
        # One question on screen at a time: the previous one leaves it first (the constraint insists).
        for previous in Question.objects.select_for_update().filter(thread_id=question.thread_id, pinned=True):
            previous.pinned = False
            previous.save(update_fields=["pinned"])
            changed_too.append((previous, events.QUESTION_UNPINNED))
        question.pinned = True
        return events.QUESTION_PINNED
    return _merge(question, into, changed_too)


def _merge(question: Question, into: Question | None, changed_too: list[tuple[Question, str]]) -> str:
    if into is None or into.pk == question.pk or into.thread_id != question.thread_id:
        raise ValidationError({"into": _("Choose another question of this event to merge it into.")})
    into = Question.objects.select_for_update().get(pk=into.pk)
    if into.status not in (QuestionStatus.PENDING, QuestionStatus.APPROVED):
        raise ValidationError({"into": _("A question can only be merged into one awaiting an answer.")})
    question.status = QuestionStatus.MERGED
    question.merged_into = into
    question.pinned = False
    # The people who supported the duplicate support the question that replaces it.
    voters = QuestionVote.objects.filter(question=question).exclude(user_id=into.author_id).values_list("user_id")
    QuestionVote.objects.bulk_create(
        [QuestionVote(question=into, user_id=user_id) for (user_id,) in voters], ignore_conflicts=True
    )
    changed_too.append((into, events.QUESTION_VOTED))
    return events.QUESTION_MERGED
