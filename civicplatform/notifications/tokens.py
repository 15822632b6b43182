"""Signed one-click unsubscribe links (RFC 8058).

A token names one person and the notification kinds that one e-mail was
about; it is signed with SECRET_KEY and a purpose-specific salt, so it cannot
be forged or reused for anything else, and it expires after
NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS so old e-mails stop being a standing
capability.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

SALT = "civicplatform.notifications.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeClaim:
    user_id: int
    kinds: tuple[str, ...]


def unsubscribe_token_make(*, user_id: int, kinds: Iterable[str]) -> str:
    payload = {"u": user_id, "k": sorted(set(kinds))}
    return signing.TimestampSigner(salt=SALT).sign_object(payload, compress=True)


def unsubscribe_token_read(token: str) -> UnsubscribeClaim:
    """Raise signing.SignatureExpired or signing.BadSignature when the token is not valid."""
    max_age = timedelta(days=settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS)
    payload = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    try:
        user_id = int(payload["u"])
        kinds = tuple(str(kind) for kind in payload["k"])
    except (KeyError, TypeError, ValueError) as exc:
        raise signing.BadSignature("Malformed unsubscribe token") from exc
    return UnsubscribeClaim(user_id=user_id, kinds=kinds)
