"""What a FranceConnect login keeps in the (server-side) session, and for how long.

- one entry per login in progress, keyed by its `state`, holding the `nonce`:
  single use, ten minutes, at most a few at once (several tabs);
- a verified identity waiting for its pseudonym (no names: see client.VerifiedIdentity);
- the ID token of the current login, needed as `id_token_hint` at logout;
- the `state` of a logout in progress.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

from django.http import HttpRequest

from civicplatform.franceconnect.client import MESSAGE_RETRY, FranceConnectError, VerifiedIdentity

LOGINS_KEY = "franceconnect_logins"
SIGNUP_KEY = "franceconnect_signup"
ID_TOKEN_KEY = "franceconnect_id_token"  # noqa: S105 - a session key name, not a secret
LOGOUT_KEY = "franceconnect_logout"
TTL_SECONDS = 600
MAX_LOGINS = 5


def _fresh(entry: Any) -> bool:
    return isinstance(entry, dict) and time.time() - float(entry.get("at", 0)) <= TTL_SECONDS


def random_token() -> str:
    # 32 random bytes: 43 URL-safe characters, above the 32 FranceConnect/ProConnect require.
    return secrets.token_urlsafe(32)


def login_begin(request: HttpRequest, *, next_url: str, user_id: int | None) -> tuple[str, str]:
    """Remember a new login attempt; returns its (state, nonce)."""
    state, nonce = random_token(), random_token()
    logins = {key: entry for key, entry in (request.session.get(LOGINS_KEY) or {}).items() if _fresh(entry)}
    for key in sorted(logins, key=lambda k: logins[k]["at"])[: max(0, len(logins) - MAX_LOGINS + 1)]:
        del logins[key]
    logins[state] = {"nonce": nonce, "next": next_url, "user_id": user_id, "at": time.time()}
    request.session[LOGINS_KEY] = logins
    return state, nonce


def login_pop(request: HttpRequest, state: str) -> dict[str, Any]:
    """The login attempt this `state` belongs to, consumed whatever happens next."""
    logins = dict(request.session.get(LOGINS_KEY) or {})
    entry = logins.pop(state, None) if state else None
    request.session[LOGINS_KEY] = logins
    if not _fresh(entry):
        raise FranceConnectError("state_mismatch", status=400, message=MESSAGE_RETRY)
    return entry


def signup_begin(request: HttpRequest, *, identity: VerifiedIdentity, id_token: str, next_url: str) -> None:
    request.session[SIGNUP_KEY] = {
        "sub": identity.sub,
        "acr": identity.acr,
        "email": identity.email,
        "birth_year": identity.birth_year,
        "id_token": id_token,
        "next": next_url,
        "at": time.time(),
    }


def signup_get(request: HttpRequest) -> tuple[VerifiedIdentity, str, str] | None:
    """The identity waiting for a pseudonym, its ID token and where to go next."""
    entry = request.session.get(SIGNUP_KEY)
    if not _fresh(entry):
        request.session.pop(SIGNUP_KEY, None)
        return None
    identity = VerifiedIdentity(
        sub=entry["sub"], acr=entry["acr"], email=entry["email"], birth_year=entry["birth_year"]
    )
    return identity, entry["id_token"], entry["next"]


def signup_end(request: HttpRequest) -> None:
    request.session.pop(SIGNUP_KEY, None)


def id_token_store(request: HttpRequest, id_token: str) -> None:
    request.session[ID_TOKEN_KEY] = id_token


def id_token_get(request: HttpRequest) -> str | None:
    value = request.session.get(ID_TOKEN_KEY)
    return value if isinstance(value, str) and value else None


def logout_begin(request: HttpRequest) -> str:
    state = random_token()
    request.session[LOGOUT_KEY] = {"state": state, "at": time.time()}
    return state


def logout_pop(request: HttpRequest, state: str) -> bool:
    entry = request.session.pop(LOGOUT_KEY, None)
    return _fresh(entry) and bool(state) and hmac.compare_digest(str(entry["state"]), state)
