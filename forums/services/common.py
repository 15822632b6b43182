"""Checks every forum write shares: may this person take part, and not too fast."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplatform.accounts.models import VerificationLevel
from civicplatform.moderation.selectors import user_is_blocked

BLOCKED_MESSAGE = gettext_lazy(
    "A moderator has blocked your account from contributing. You can still read the discussions."
)


class RateLimited(Exception):
    """Too many posts in a short time: the text is kept and the person may retry shortly."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# The name the comment views and tests have always caught.
CommentRateLimited = RateLimited


def check_can_participate(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to take part in the discussion."))
    if user_is_blocked(user):
        raise PermissionDenied(BLOCKED_MESSAGE)
    if user.verification_level < VerificationLevel.EMAIL:
        raise PermissionDenied(_("Confirm your e-mail address before taking part in the discussion."))


def check_rate(user: Any, *, scope: str, limit: int, window: int = 60) -> None:
    """Fixed window per person and kind of post, shared by every server through the cache."""
    key = f"forums:{scope}-rate:{user.pk}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 30)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 30)
        count = 1
    if count > limit:
        raise RateLimited(
            _("You are posting very quickly. Please wait a minute before posting again; your text has been kept.")
        )
