from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models

from civicplatform.notifications import kinds
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Follow,
    Notification,
    NotificationPreference,
)


def notification_list_for_user(*, user) -> models.QuerySet[Notification]:
    """One person's notifications, newest first (only the columns the list shows)."""
    return Notification.objects.filter(recipient=user).only(
        "public_id", "kind", "title", "body", "url", "created_at", "read_at", "recipient_id"
    )


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def delivery_modes_for_users(*, user_ids: Iterable[int], kind: str) -> dict[int, DeliveryMode]:
    """Each person's choice for `kind`, falling back to the kind's default, in one query."""
    default = kinds.get_kind(kind).default_delivery
    ids = list(user_ids)
    chosen = dict(NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "delivery"))
    return {user_id: DeliveryMode(chosen.get(user_id, default)) for user_id in ids}


def delivery_modes_for_user(*, user) -> dict[str, DeliveryMode]:
    """Every registered kind with this person's choice (or the default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.key: DeliveryMode(chosen.get(kind.key, kind.default_delivery)) for kind in kinds.all_kinds()}


def delivery_mode_for_user(*, user, kind: str) -> DeliveryMode:
    return delivery_modes_for_users(user_ids=[user.pk], kind=kind)[user.pk]


def digest_users_pending() -> list[int]:
    """People who have at least one notification waiting for their daily summary."""
    return list(
        Delivery.objects.filter(channel=Channel.DIGEST, status=DeliveryStatus.PENDING)
        .values_list("notification__recipient_id", flat=True)
        .distinct()
        .order_by("notification__recipient_id")
    )


def followers_of(*, target: models.Model) -> models.QuerySet:
    """Active people following `target`."""
    follows = Follow.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=follows, is_active=True, erased_at__isnull=True)


def is_following(*, user, target: models.Model) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).exists()


def follow_model_key(obj_or_model) -> str:
    """ "app_label.model" as used in follow URLs (e.g. "forums.thread")."""
    opts = obj_or_model._meta.concrete_model._meta
    return f"{opts.app_label}.{opts.model_name}"


def follow_ref(obj: models.Model) -> str:
    """The object's public reference in follow URLs: its public_id UUID when it has one, else its pk
    (Wagtail pages, which are public anyway)."""
    public_id = getattr(obj, "public_id", None)
    return str(public_id if public_id is not None else obj.pk)
