from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicplatform.moderation.models import Moderatable

# Path segments forums/urls.py uses next to forum and thread addresses.
RESERVED_FORUM_SLUGS = frozenset({"commentaires", "questions"})
RESERVED_THREAD_SLUGS = frozenset({"nouveau"})


def validate_forum_slug(value: str) -> None:
    if value in RESERVED_FORUM_SLUGS:
        raise ValidationError(_("This address is reserved. Please choose another one."))


class ForumVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can read, participants can post")
    MEMBERS = "members", _("Members only: only its members can read and post")


class Forum(models.Model):
    """A place for discussions: open to the public, or kept to its members (a
    district council, a citizens' jury). Its moderators are those of the
    moderation app whose assignment covers the forum."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=80, unique=True, validators=[validate_forum_slug])
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=ForumVisibility.choices, default=ForumVisibility.PUBLIC
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="forums", verbose_name=_("members")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:forum", args=[self.slug])

    @property
    def is_members_only(self) -> bool:
        return self.visibility == ForumVisibility.MEMBERS

    def get_moderation_space(self) -> models.Model:
        return self


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("member")
    # Kept in step with a moderation assignment on the forum (forums.services.membership_set).
    MODERATOR = "moderator", _("moderator")


class Membership(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="forum_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["forum", "user"], name="forums_membership_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.forum}"


class ThreadKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    DEBATE = "debate", _("Debate")
    LIVE_EVENT = "live_event", _("Live event")


class Thread(Moderatable):
    """A discussion, a debate (a question with arguments for and against) or the
    questions of a live public meeting. Its posts are Comments attached to it.

    `last_event_seq` numbers what happened in the thread (forums.events): the
    counter is raised under the row lock of the transaction that records the
    event, so events commit in the order of their numbers.
    """

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="threads")
    slug = models.SlugField(_("address"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=ThreadKind.choices, default=ThreadKind.DISCUSSION)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
    )
    source = models.TextField(_("text"), blank=True)
    body = models.TextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("started on"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    conclusion_source = models.TextField(_("conclusions"), blank=True)
    conclusion = models.TextField(_("conclusions (HTML)"), blank=True)
    last_event_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        constraints = [models.UniqueConstraint(fields=["forum", "slug"], name="forums_thread_slug_per_forum")]
        indexes = [
            # forums.selectors.thread_list: the threads of a forum, most recently active first
            models.Index(fields=["forum", "-last_activity_at"], name="forums_thread_activity_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:thread", args=[self.forum.slug, self.slug])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_debate(self) -> bool:
        return self.kind == ThreadKind.DEBATE

    @property
    def is_live_event(self) -> bool:
        return self.kind == ThreadKind.LIVE_EVENT

    # Read by the comments machinery (forums.predicates), which knows nothing of threads.
    view_permission = "forums.view_thread"

    @property
    def takes_alignment(self) -> bool:
        return self.is_debate

    def accepts_comments(self) -> bool:
        # A live event takes questions, not comments; a closed or hidden thread is read-only.
        return not self.is_closed and not self.is_hidden and not self.is_live_event

    def get_moderation_space(self) -> models.Model:
        return self.forum

    def get_moderation_preview(self) -> str:
        return f"{self.title}\n\n{self.source}"

    @classmethod
    def get_moderation_queryset(cls) -> models.QuerySet:
        return cls._default_manager.select_related("author", "forum")

    @property
    def author_name(self) -> str:
        return self.author.public_name if self.author_id else str(_("Deleted participant"))

    @property
    def group_name(self) -> str:
        """Channel-layer group prefix of the thread's viewers (see forums.events)."""
        return f"forums.thread.{self.public_id.hex}"


class ThreadEvent(models.Model):
    """One numbered change in a thread, kept so that a page that lost its
    connection can fetch exactly what it missed. Only references are stored:
    the catch-up renders the object as it is now, like a reload would."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=32)
    object_id = models.UUIDField(null=True, blank=True)
    # Questions awaiting moderation are news for the moderators only.
    moderators_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thread event")
        verbose_name_plural = _("thread events")
        # The unique index also serves forums.events.events_after (thread, seq > N).
        constraints = [models.UniqueConstraint(fields=["thread", "seq"], name="forums_event_seq_per_thread")]

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.seq} {self.kind}"
