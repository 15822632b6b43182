"""Server side of the ALTCHA proof-of-work challenge on the anonymous signature form.

No cookie, no third party: the browser fetches a challenge signed with
ALTCHA_HMAC_KEY, spends about a second finding the counter that produces the
signed key prefix (PBKDF2), and posts the solution with the form. Each
challenge is accepted once (its nonce is remembered until it expires).

Without JavaScript no solution is posted. The signature is then not refused:
it is recorded, the person gets the confirmation e-mail as usual, and it is
held for a moderator's review (HoldReason.NO_PROOF) instead of counting at
once. A robot gains nothing; a person with JavaScript off loses nothing but
a short delay.
"""

from __future__ import annotations

import datetime
import secrets

import altcha as altcha_lib
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

ALGORITHM = "PBKDF2/SHA-256"
# The counter the browser must find is drawn below this: on average half of it PBKDF2 runs.
MAX_COUNTER = 400


def enabled() -> bool:
    return bool(settings.ALTCHA_ENABLED)


def _keys() -> tuple[str, str]:
    key = settings.ALTCHA_HMAC_KEY or salted_hmac("petitions.altcha", "challenge").hexdigest()
    return key, salted_hmac("petitions.altcha.key", key).hexdigest()


def challenge_create(*, now: datetime.datetime | None = None) -> dict:
    """A new signed challenge, as the widget expects it from its challenge URL.

    The server draws the counter and signs the key it derives (deterministic
    mode), so checking a solution is one HMAC, not a key derivation.
    """
    now = now or timezone.now()
    key, key_secret = _keys()
    challenge = altcha_lib.create_challenge(
        ALGORITHM,
        settings.ALTCHA_COST,
        counter=secrets.randbelow(MAX_COUNTER),
        expires_at=now + datetime.timedelta(seconds=settings.ALTCHA_CHALLENGE_SECONDS),
        hmac_secret=key,
        hmac_key_secret=key_secret,
    )
    return challenge.to_dict()


def solution_verify(payload: str) -> bool:
    """True for a valid, unexpired solution seen for the first time."""
    if not payload or len(payload) > 4000:
        return False
    key, key_secret = _keys()
    try:
        result = altcha_lib.verify_solution(payload, hmac_secret=key, hmac_key_secret=key_secret)
        if not result.verified:
            return False
        nonce = altcha_lib.Payload.from_base64(payload).challenge.parameters.nonce
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    # Replay protection: the nonce is remembered as long as the challenge could be valid.
    return cache.add(f"petitions:altcha:{nonce}", 1, timeout=settings.ALTCHA_CHALLENGE_SECONDS + 60)
