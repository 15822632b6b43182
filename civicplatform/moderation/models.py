from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ModerationState(models.TextChoices):
    VISIBLE = "visible", _("visible")
    HIDDEN = "hidden", _("hidden by a moderator")
    AUTO_HIDDEN = "auto_hidden", _("hidden after reports, awaiting review")


# Shown in place of content hidden automatically: no person has judged it yet,
# so the notice must not suggest that it broke a rule.
AUTO_HIDDEN_REASON = _("Hidden pending moderation after several reports")


class Moderatable(models.Model):
    """Mixin for user content that can be reported and hidden.

    A model opts in by inheriting this and registering the "reportable"
    capability. Hidden content keeps its row: the page shows the public reason
    in its place, and a moderator can restore it.

    To opt in, an app:
    - inherits Moderatable, and overrides get_moderation_space() (whose
      moderators handle it) and, if needed, get_moderation_queryset() and
      get_moderation_preview();
    - calls registry.register_capability("reportable", Model) in AppConfig.ready();
    - shows {% include "moderation/_hidden_notice.html" with object=item %} instead
      of hidden content, and "moderation/_report_link.html" (and
      "_moderate_link.html") next to visible content;
    - connects to civicplatform.moderation.signals if it must react to decisions;
    - may add `reports = GenericRelation("moderation.Report")` so that deleting
      content deletes its reports.

    Reports point at the row through an integer primary key (the project's
    BigAutoField default), so GenericRelation joins stay plain integer joins.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    moderation_state = models.CharField(
        _("moderation"), max_length=12, choices=ModerationState.choices, default=ModerationState.VISIBLE
    )
    moderation_reason = models.TextField(_("public moderation reason"), blank=True)
    moderated_at = models.DateTimeField(_("moderated on"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.moderation_state != ModerationState.VISIBLE

    @property
    def public_moderation_reason(self) -> str:
        """What readers see in place of hidden content."""
        if self.moderation_reason:
            return self.moderation_reason
        if self.moderation_state == ModerationState.AUTO_HIDDEN:
            return str(AUTO_HIDDEN_REASON)
        return ""

    @property
    def moderation_content_key(self) -> str:
        """ "app_label.model", the key used in the moderation URLs."""
        return self._meta.label_lower

    def get_moderation_space(self) -> models.Model | None:
        """The space (forum, budget process, petition...) whose moderators handle this
        content. None means only site-wide moderators and staff."""
        return None

    def get_moderation_author(self):
        """The user who wrote the content, if any (notified, and blockable)."""
        return getattr(self, "author", None)

    def get_moderation_author_id(self) -> int | None:
        """The author's primary key without loading the author (permission checks in lists)."""
        if hasattr(self, "author_id"):
            return self.author_id
        author = self.get_moderation_author()
        return author.pk if author is not None else None

    def get_moderation_preview(self) -> str:
        """The text moderators read in the queue."""
        for field in ("text", "body", "content", "title"):
            value = getattr(self, field, None)
            if isinstance(value, str) and value:
                return value
        return str(self)

    @classmethod
    def get_moderation_queryset(cls) -> models.QuerySet:
        """How the queue loads this model's rows: override to select_related what
        get_absolute_url() and the preview need, so the queue stays at a constant
        number of queries."""
        queryset = cls._default_manager.all()
        if any(field.name == "author" and field.is_relation for field in cls._meta.get_fields()):
            queryset = queryset.select_related("author")
        return queryset


class UserBlock(models.Model):
    """A person barred from contributing. The row exists while the block is in force;
    placing and lifting it are both in the audit log with their justification."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="block"
    )
    reason = models.TextField(_("justification"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("blocked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("blocked on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("blocked user")
        verbose_name_plural = _("blocked users")

    def __str__(self) -> str:
        return str(self.user)


class ModeratorAssignment(models.Model):
    """Who moderates which space.

    - content_type and object_id set: one space (a forum, a budget process...);
    - only content_type set: every space of that type;
    - both empty: the whole site.
    A moderator is an elected official or a municipal agent; the title is the one
    readers know them by ("Adjointe à la démocratie locale").
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.CASCADE,
        related_name="moderator_assignments",
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("type of space"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Text, so that spaces with integer, UUID or slug keys can all be moderated.
    object_id = models.CharField(_("space"), max_length=64, null=True, blank=True)
    space = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=150, blank=True)
    is_elected_official = models.BooleanField(_("elected official"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("moderator assignment")
        verbose_name_plural = _("moderator assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__isnull=False) | Q(object_id__isnull=True),
                name="moderation_assignment_space_needs_type",
            ),
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"],
                condition=Q(object_id__isnull=False),
                name="moderation_assignment_unique_space",
            ),
            models.UniqueConstraint(
                fields=["user", "content_type"],
                condition=Q(content_type__isnull=False, object_id__isnull=True),
                name="moderation_assignment_unique_type",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(content_type__isnull=True),
                name="moderation_assignment_unique_site",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.scope_label}"

    @property
    def is_site_wide(self) -> bool:
        return self.content_type_id is None

    @property
    def scope_label(self) -> str:
        if self.content_type_id is None:
            return str(_("whole site"))
        if self.object_id is None:
            model = self.content_type.model_class()
            kind = model._meta.verbose_name_plural if model is not None else self.content_type.model
            return str(_("every %(type)s") % {"type": kind})
        return str(self.space or self.object_id)

    def covers(self, space_type_id: int | None, space_id: str | None) -> bool:
        """True when this assignment includes the space identified by type and key."""
        if self.content_type_id is None:
            return True
        if space_type_id != self.content_type_id:
            return False
        return self.object_id is None or self.object_id == space_id


class ReportCategory(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive, hateful or harassing")
    OFF_TOPIC = "off_topic", _("Off-topic")
    OTHER = "other", _("Other")


class ReportResolution(models.TextChoices):
    HIDDEN = "hidden", _("content hidden")
    RESTORED = "restored", _("content restored")
    DISMISSED = "dismissed", _("reports dismissed")


class ReportQuerySet(models.QuerySet):
    def open(self) -> ReportQuerySet:
        return self.filter(resolved_at__isnull=True)

    def resolved(self) -> ReportQuerySet:
        return self.filter(resolved_at__isnull=False)

    def for_content(self, content: models.Model) -> ReportQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(content), object_id=content.pk)


class Report(models.Model):
    """One person's report of one piece of content.

    Anonymous visitors may report too: they are told apart by a keyed hash of
    their IP address (never the address itself). `reporter_key` is "user:<id>"
    or "ip:<hash>", and is unique per content, so automatic hiding counts
    distinct people and a repeated click changes nothing.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    # Copied from content.get_moderation_space() when the report is made, so the
    # queue can be scoped to a moderator's spaces in SQL.
    space_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    space_id = models.CharField(max_length=64, null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_reports",
    )
    ip_hash = models.CharField(max_length=64, blank=True)
    reporter_key = models.CharField(max_length=80)
    category = models.CharField(_("reason"), max_length=16, choices=ReportCategory.choices)
    note = models.TextField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported on"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    resolution = models.CharField(_("decision"), max_length=16, choices=ReportResolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # One report per person per content; its index also serves for_content().
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter_key"], name="moderation_report_one_per_reporter"
            ),
        ]
        indexes = [
            # the moderation queue: open reports in a moderator's spaces
            models.Index(
                fields=["space_type", "space_id"],
                condition=Q(resolved_at__isnull=True),
                name="moderation_report_open_space",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
