from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forums.models.threads import Thread

MAX_QUESTION_LENGTH = 300


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    APPROVED = "approved", _("approved")
    ANSWERED = "answered", _("answered")
    MERGED = "merged", _("merged into another question")
    DISMISSED = "dismissed", _("not retained")


# What the audience sees; pending and dismissed questions are for the moderators only.
PUBLIC_QUESTION_STATUSES = (QuestionStatus.APPROVED, QuestionStatus.ANSWERED)


class Question(models.Model):
    """A question sent by a participant during a live public meeting. Moderators
    approve it before the audience sees it; the pinned one is on the room's screen."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_questions",
    )
    text = models.CharField(_("question"), max_length=MAX_QUESTION_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_questions"
    )
    pinned = models.BooleanField(_("on screen"), default=False)
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            # The room's screen shows one question at a time.
            models.UniqueConstraint(fields=["thread"], condition=Q(pinned=True), name="forums_question_one_pinned"),
        ]
        indexes = [
            # forums.selectors.question_board: the questions of a thread by status
            models.Index(fields=["thread", "status"], name="forums_question_status_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def anchor(self) -> str:
        return f"question-{self.public_id}"

    @property
    def author_name(self) -> str:
        return self.author.public_name if self.author_id else str(_("Deleted participant"))

    def get_moderation_space(self) -> models.Model:
        return self.thread.forum

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_QUESTION_STATUSES


class QuestionVote(models.Model):
    """One person's support for a question; one per person (unique), counted on read."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote for a question")
        verbose_name_plural = _("votes for questions")
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="forums_question_vote_once")]

    def __str__(self) -> str:
        return f"{self.question_id} +1"
