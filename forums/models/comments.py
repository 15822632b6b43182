from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicplatform.moderation.models import Moderatable
from forums.querysets import CommentQuerySet

# Top-level comments have depth 0; replies nest three levels deep at most, so
# the discussion stays readable on a 320 px screen.
MAX_COMMENT_DEPTH = 3


class CommentSort(models.TextChoices):
    # Values appear in public URLs (?tri_commentaires=recents), hence French.
    BEST = "meilleurs", _("Best")
    NEWEST = "recents", _("Newest")
    OLDEST = "anciens", _("Oldest")
    MOST_DISCUSSED = "discutes", _("Most discussed")


class Alignment(models.TextChoices):
    """Where a contribution to a debate stands on its question."""

    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    NEUTRAL = "neutral", _("Neutral")


class Comment(Moderatable):
    """A contribution attached to any model registered as "commentable".

    The target is generic so budget projects, petitions, consultations and CMS
    pages share one discussion mechanism; a forum thread is one more
    commentable target. Replies nest to MAX_DEPTH; `root` is the top-level
    ancestor, so one query fetches every reply of a page of comments.
    """

    MAX_DEPTH = MAX_COMMENT_DEPTH

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The comment actually answered, when the depth cap filed the reply beside it.
    in_reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    depth = models.PositiveSmallIntegerField(default=0)
    # SET_NULL, not CASCADE: erasing an account keeps the discussion readable
    # ("Deleted participant"); the author's personal data is the pseudonym, not the row.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    # What the author typed (kept to edit it) and its sanitised HTML rendering.
    source = models.TextField(_("text"), blank=True)
    body = models.TextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("posted on"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited on"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted on"), null=True, blank=True)
    deleted_by_moderator = models.BooleanField(_("deleted by a moderator"), default=False)
    # Only top-level contributions to a debate take a side; empty everywhere else.
    alignment = models.CharField(_("position"), max_length=8, choices=Alignment.choices, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            # forums.selectors.comment_section: the comments of one target, in date order
            models.Index(fields=["content_type", "object_id", "created_at"], name="forums_comment_target_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(depth__lte=MAX_COMMENT_DEPTH), name="forums_comment_depth_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.public_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def get_moderation_space(self) -> models.Model | None:
        """The target's space (a budget process for a project, a forum for a thread), if it has one."""
        getter = getattr(self.target, "get_moderation_space", None)
        return getter() if callable(getter) else None

    def get_absolute_url(self) -> str:
        from forums.selectors import target_url

        return f"{target_url(self.target)}#{self.anchor}"

    def get_moderation_preview(self) -> str:
        return self.source

    @classmethod
    def get_moderation_queryset(cls) -> models.QuerySet:
        return cls._default_manager.select_related("author", "content_type").prefetch_related("target")

    @property
    def author_name(self) -> str:
        # The pseudonym only, never the e-mail; erased accounts read "Deleted participant".
        return self.author.public_name if self.author_id else str(_("Deleted participant"))

    @property
    def anchor(self) -> str:
        return f"comment-{self.public_id}"


class ReactionValue(models.IntegerChoices):
    UP = 1, _("Useful")
    DOWN = -1, _("Not useful")


class Reaction(models.Model):
    """One person's up or down vote on a comment. Scores are counted on read
    (one aggregate query per page), never cached in a hot counter row."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reactions")
    value = models.SmallIntegerField(choices=ReactionValue.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="forums_reaction_one_per_user"),
            models.CheckConstraint(condition=models.Q(value__in=[1, -1]), name="forums_reaction_value_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.value:+d}"
