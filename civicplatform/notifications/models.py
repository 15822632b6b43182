from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicplatform.notifications import kinds
from civicplatform.notifications.kinds import DeliveryMode


class Notification(models.Model):
    """One message to one person, listed on their notifications page.

    Title and body are stored as text in the site language: the event that
    caused them may change or disappear later, the message stays readable.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # A path on this site ("/forums/..."), never an external address: e-mails must not carry foreign links.
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # notification_list_for_user: one person's notifications, newest first
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent_idx"),
            # unread_count (the header link on every page)
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread_idx"),
            # retention purge by age
            models.Index(fields=["created_at"], name="notif_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        return str(kinds.get_kind(self.kind).label) if kinds.is_registered(self.kind) else self.kind


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail, immediately")
    DIGEST = "digest", _("daily summary e-mail")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("not sent (no address or e-mails turned off)")
    FAILED = "failed", _("failed")


class DigestRun(models.Model):
    """The daily summary e-mail sent to one person on one day.

    The row is written in the same transaction as the e-mail is sent, and the
    unique (user, date) makes a second run on the same day send nothing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent on"), default=timezone.now)
    item_count = models.PositiveIntegerField(_("notifications included"), default=0)

    class Meta:
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="digestrun_one_per_user_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date}"


class Delivery(models.Model):
    """One notification to be sent on one channel.

    (notification, channel) is unique: this is the idempotency key. The sending
    task locks the pending row before it sends, so a task that Celery delivers
    twice finds nothing left to do the second time.
    """

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    digest_run = models.ForeignKey(
        DigestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_one_per_channel"),
        ]
        indexes = [
            # digest_users_pending / digest_send: pending items of the daily summary
            models.Index(fields=["channel"], condition=Q(status="pending"), name="delivery_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


class NotificationPreference(models.Model):
    """How one person wants to receive one kind of notification; without a row, the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=64)
    delivery = models.CharField(_("delivery"), max_length=10, choices=DeliveryMode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifpref_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}={self.delivery}"


class Follow(models.Model):
    """A person follows a participation item (any model registered as "followable")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="follow_once"),
        ]
        indexes = [
            # followers_of: everyone following one object
            models.Index(fields=["content_type", "object_id"], name="follow_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"
