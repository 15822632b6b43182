from __future__ import annotations

from civicplatform.moderation.models import UserBlock


def user_is_blocked(user) -> bool:
    """True when a moderator has barred this person from contributing."""
    if not getattr(user, "is_authenticated", False):
        return False
    return UserBlock.objects.filter(user_id=user.pk).exists()
