"""The kinds of notification the platform sends, registered by the apps that send them.

The preferences page lists every registered kind, so a person can choose, per
kind, to receive an e-mail immediately, in a daily summary, or not at all.
An app registers its kinds from AppConfig.ready():

    register_kind("petitions.threshold", _("Petition milestones"), DeliveryMode.IMMEDIATE,
                  _("When a petition you signed reaches a milestone."))
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, one e-mail each time")
    DIGEST = "digest", _("In one summary e-mail a day")
    OFF = "off", _("No e-mail (still listed on your notifications page)")


# Core kinds: the keys other apps pass to notify().
MODERATION = "moderation"
FOLLOWED_UPDATE = "followed_update"
MENTION = "mention"
ACCOUNT = "account"


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str | Promise
    default_delivery: DeliveryMode
    description: str | Promise = ""
    order: int = 100


_kinds: dict[str, NotificationKind] = {}


def register_kind(
    key: str,
    label: str | Promise,
    default_delivery: DeliveryMode | str,
    description: str | Promise = "",
    *,
    order: int = 100,
) -> NotificationKind:
    # Keys become form field names and URL-signed values: keep them short identifiers.
    if not key or len(key) > 64 or not key.replace("_", "").replace(".", "").isalnum():
        raise ValueError(f"Invalid notification kind key: {key!r}")
    kind = NotificationKind(
        key=key, label=label, default_delivery=DeliveryMode(default_delivery), description=description, order=order
    )
    _kinds[key] = kind
    return kind


def get_kind(key: str) -> NotificationKind:
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}: register it with register_kind() first.") from None


def is_registered(key: str) -> bool:
    return key in _kinds


def all_kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def register_core_kinds() -> None:
    register_kind(
        ACCOUNT,
        _("Your account and security"),
        DeliveryMode.IMMEDIATE,
        _("Changes to your account, such as a verification or a new e-mail address."),
        order=10,
    )
    register_kind(
        MODERATION,
        _("Moderation of your contributions"),
        DeliveryMode.IMMEDIATE,
        _("When a moderator hides one of your contributions, or makes it visible again."),
        order=20,
    )
    register_kind(
        MENTION,
        _("Mentions"),
        DeliveryMode.IMMEDIATE,
        _("When someone mentions your pseudonym in a discussion."),
        order=30,
    )
    register_kind(
        FOLLOWED_UPDATE,
        _("News about what you follow"),
        DeliveryMode.DIGEST,
        _("New contributions, phase changes and results for the projects, petitions and discussions you follow."),
        order=40,
    )
