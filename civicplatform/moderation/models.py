from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationState(models.TextChoices):
    VISIBLE = "visible", _("visible")
    HIDDEN = "hidden", _("hidden by a moderator")
    AUTO_HIDDEN = "auto_hidden", _("hidden after reports, awaiting review")


class Moderatable(models.Model):
    """Mixin for user content that can be reported and hidden.

    A model opts in by inheriting this and registering the "reportable"
    capability. Hidden content keeps its row: the page shows the public reason
    in its place, and a moderator can restore it.
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

    def get_moderation_space(self) -> models.Model | None:
        """The space (forum, budget process, petition...) whose moderators handle this
        content. None means only site-wide moderators and staff."""
        return None

    def get_moderation_author(self):
        """The user who wrote the content, if any (notified, and blockable)."""
        return getattr(self, "author", None)


class UserBlock(models.Model):
    """A person barred from contributing. The row exists while the block is in force;
    placing and lifting it are both in the audit log with their justification."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="block")
    reason = models.TextField(_("justification"))
    blocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked user")
        verbose_name_plural = _("blocked users")

    def __str__(self) -> str:
        return str(self.user)
