"""What the notifications app holds about a person: their data export and their erasure (GDPR art. 15, 17, 20)."""

from __future__ import annotations

from typing import Any

from civicplatform.notifications import kinds, selectors, services
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.models import Follow, Notification


def notifications_export(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "date": notification.created_at,
            "kind": notification.kind_label,
            "title": notification.title,
            "message": notification.body,
            "link": notification.url,
            "read_on": notification.read_at,
        }
        for notification in Notification.objects.filter(recipient=user).order_by("created_at", "id")
    ]


def preferences_export(user: Any) -> list[dict[str, Any]]:
    modes = selectors.delivery_modes_for_user(user=user)
    return [
        {"kind": str(kinds.get_kind(key).label), "e_mail": str(DeliveryMode(mode).label)} for key, mode in modes.items()
    ]


def follows_export(user: Any) -> list[dict[str, Any]]:
    follows = Follow.objects.filter(user=user).select_related("content_type").prefetch_related("target")
    return [
        {
            "followed_on": follow.created_at,
            "item_type": str(follow.content_type.name),
            "item": str(follow.target) if follow.target is not None else "",
        }
        for follow in follows.order_by("created_at", "id")
    ]


def erase(user: Any) -> None:
    """Called inside the account-erasure transaction: notifications, follows and preferences only
    concern the person, so they are deleted rather than anonymised."""
    services.notifications_erase_for_user(user=user)
