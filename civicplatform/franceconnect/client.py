"""The OpenID Connect exchanges with FranceConnect v2, readable top to bottom.

1. `authorization_url`: where the browser goes, with a fresh `state` and `nonce`
   and the requested eIDAS level (`acr_values`).
2. `authenticate`: back on the callback, swap the code for tokens, verify the
   ID token (signature against the provider's JWKS, issuer, audience, expiry,
   nonce, at_hash, acr), then fetch the userinfo, which FranceConnect v2 returns
   as a signed JWT (`application/jwt`) and which is verified the same way.
3. `end_session_url`: where the browser goes to log out of FranceConnect too.

Only ES256 and RS256 are accepted: v2 signs with the provider's asymmetric keys,
so an HS256 (client secret), unsigned or encrypted token is refused. Metadata is
cached; an unknown key id (or a signature that fails against cached keys) makes
us fetch the JWKS once more, because FranceConnect rotates its keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicplatform.franceconnect.conf import EIDAS_LEVELS, fc_settings

logger = logging.getLogger(__name__)

METADATA_CACHE_SECONDS = 3600
# Clock skew tolerated between FranceConnect and us.
LEEWAY_SECONDS = 60
# Each accepted algorithm and the key type it needs (no algorithm confusion).
ALGORITHM_KEY_TYPES = {"ES256": "EC", "RS256": "RSA"}

MESSAGE_RETRY = _("The FranceConnect login could not be completed. Please start again.")
MESSAGE_UNVERIFIED = _(
    "We could not verify the identity sent by FranceConnect, so you are not logged in. Please try again later."
)
MESSAGE_UNAVAILABLE = _(
    "FranceConnect cannot be reached at the moment. Please try again later, or log in with your e-mail address."
)
MESSAGE_LEVEL = _(
    "FranceConnect did not confirm your identity at the level this site requires. "
    "Please try again, possibly with another identity provider."
)


class FranceConnectError(Exception):
    """A login or logout step that must stop.

    `code` is a short reason for the audit log and the server logs (never any
    personal data); `message` is what the person reads; `status` the HTTP status.
    """

    def __init__(self, code: str, *, status: int = 403, message: Any = MESSAGE_UNVERIFIED) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.message = message


@dataclass(frozen=True)
class VerifiedIdentity:
    """What the platform keeps from a verified FranceConnect login.

    Names, birthplace and the full birth date are dropped here, as soon as the
    signature has been checked: the platform shows people by pseudonym and
    only needs the year for age conditions.
    """

    sub: str
    acr: str
    # FranceConnect only relays addresses its identity providers verified.
    email: str | None
    birth_year: int | None


# ----------------------------------------------------------------------------- metadata


def _cache_key(kind: str) -> str:
    issuer_hash = hashlib.sha256(fc_settings().issuer.encode()).hexdigest()[:16]
    return f"franceconnect:{kind}:{issuer_hash}"


def forget_cached_metadata() -> None:
    """Drop the cached discovery document and JWKS (after a configuration change)."""
    cache.delete_many([_cache_key("discovery"), _cache_key("jwks")])


def _request(method: str, url: str, **kwargs: Any) -> requests.Response:
    try:
        response = requests.request(method, url, timeout=fc_settings().timeout, **kwargs)
    except requests.RequestException as exc:
        logger.warning("FranceConnect unreachable: %s %s (%s)", method, url, type(exc).__name__)
        raise FranceConnectError("provider_unavailable", status=502, message=MESSAGE_UNAVAILABLE) from exc
    if response.status_code >= 500:
        logger.warning("FranceConnect answered %s to %s %s", response.status_code, method, url)
        raise FranceConnectError("provider_unavailable", status=502, message=MESSAGE_UNAVAILABLE)
    return response


def _json(response: requests.Response, code: str) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError as exc:
        raise FranceConnectError(code, status=502, message=MESSAGE_UNAVAILABLE) from exc
    if not isinstance(data, dict):
        raise FranceConnectError(code, status=502, message=MESSAGE_UNAVAILABLE)
    return data


def discovery() -> dict[str, Any]:
    """The provider's OpenID configuration, cached for an hour."""
    config = cache.get(_cache_key("discovery"))
    if config is not None:
        return config
    issuer = fc_settings().issuer
    response = _request("GET", f"{issuer}/.well-known/openid-configuration")
    if response.status_code != 200:
        raise FranceConnectError("discovery_invalid", status=502, message=MESSAGE_UNAVAILABLE)
    config = _json(response, "discovery_invalid")
    required = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
    # The document must describe the issuer we were configured with (OpenID Discovery §4.3).
    if any(not isinstance(config.get(key), str) for key in required) or config["issuer"].rstrip("/") != issuer:
        raise FranceConnectError("discovery_invalid", status=502, message=MESSAGE_UNAVAILABLE)
    cache.set(_cache_key("discovery"), config, METADATA_CACHE_SECONDS)
    return config


def _jwks(*, refresh: bool) -> tuple[list[dict[str, Any]], bool]:
    """The provider's public keys and whether they came from the cache."""
    if not refresh:
        keys = cache.get(_cache_key("jwks"))
        if keys is not None:
            return keys, True
    response = _request("GET", discovery()["jwks_uri"])
    if response.status_code != 200:
        raise FranceConnectError("jwks_invalid", status=502, message=MESSAGE_UNAVAILABLE)
    keys = _json(response, "jwks_invalid").get("keys")
    if not isinstance(keys, list):
        raise FranceConnectError("jwks_invalid", status=502, message=MESSAGE_UNAVAILABLE)
    keys = [key for key in keys if isinstance(key, dict)]
    cache.set(_cache_key("jwks"), keys, METADATA_CACHE_SECONDS)
    return keys, False


def _find_key(keys: list[dict[str, Any]], *, kid: str | None, alg: str) -> Any | None:
    candidates = [
        key
        for key in keys
        if key.get("kty") == ALGORITHM_KEY_TYPES[alg]
        and key.get("use", "sig") == "sig"
        and key.get("alg", alg) == alg
        and (alg != "ES256" or key.get("crv") == "P-256")
        and (kid is None or key.get("kid") == kid)
    ]
    # Without a key id, only an unambiguous key set can be trusted.
    if len(candidates) != 1:
        return None
    try:
        return jwt.PyJWK(candidates[0], algorithm=alg).key
    except (jwt.PyJWKError, jwt.InvalidKeyError):
        return None


# ----------------------------------------------------------------------------- signed tokens


def _decode_signed(token: str, *, what: str, required: list[str]) -> dict[str, Any]:
    """Verify a compact JWS from the provider: signature, issuer, audience, expiry."""
    if token.count(".") != 2:
        # Five parts would be an encrypted (JWE) token, which we never asked for.
        raise FranceConnectError(f"{what}_malformed")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise FranceConnectError(f"{what}_malformed") from exc
    alg = header.get("alg")
    if alg not in ALGORITHM_KEY_TYPES:
        # "none" and HS256 (signed with our own client secret) end here.
        raise FranceConnectError(f"{what}_algorithm_refused")
    kid = header.get("kid") if isinstance(header.get("kid"), str) else None
    conf = fc_settings()
    refresh = False
    while True:
        keys, cached = _jwks(refresh=refresh)
        key = _find_key(keys, kid=kid, alg=alg)
        try:
            if key is None:
                raise jwt.InvalidSignatureError("no matching key")
            return jwt.decode(
                token,
                key=key,
                algorithms=[alg],
                audience=conf.client_id,
                issuer=discovery()["issuer"],
                leeway=LEEWAY_SECONDS,
                options={"require": required},
            )
        except jwt.InvalidSignatureError as exc:
            # The provider may have rotated its keys since we cached them: fetch once more.
            if cached:
                refresh = True
                continue
            raise FranceConnectError(f"{what}_signature_invalid") from exc
        except jwt.ExpiredSignatureError as exc:
            raise FranceConnectError(f"{what}_expired") from exc
        except jwt.InvalidTokenError as exc:
            raise FranceConnectError(f"{what}_claims_invalid") from exc


def _at_hash(access_token: str) -> str:
    # ES256 and RS256 both hash with SHA-256; at_hash is its left half (OIDC Core §3.1.3.6).
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode("ascii")


def _check_acr(acr: Any) -> str:
    wanted = EIDAS_LEVELS[fc_settings().acr]
    if not isinstance(acr, str) or EIDAS_LEVELS.get(acr, 0) < wanted:
        raise FranceConnectError("acr_insufficient", message=MESSAGE_LEVEL)
    return acr


def verify_id_token(id_token: str, *, nonce: str, access_token: str) -> dict[str, Any]:
    claims = _decode_signed(id_token, what="id_token", required=["iss", "aud", "exp", "iat", "sub", "nonce"])
    if not isinstance(claims["nonce"], str) or not hmac.compare_digest(claims["nonce"], nonce):
        raise FranceConnectError("nonce_mismatch")
    at_hash = claims.get("at_hash")
    if at_hash is not None and not hmac.compare_digest(str(at_hash), _at_hash(access_token)):
        raise FranceConnectError("at_hash_mismatch")
    if not isinstance(claims["sub"], str) or not claims["sub"]:
        raise FranceConnectError("id_token_claims_invalid")
    _check_acr(claims.get("acr"))
    return claims


# ----------------------------------------------------------------------------- the flow


def authorization_url(*, redirect_uri: str, state: str, nonce: str) -> str:
    conf = fc_settings()
    params = {
        "response_type": "code",
        "client_id": conf.client_id,
        "redirect_uri": redirect_uri,
        "scope": conf.scopes,
        "state": state,
        "nonce": nonce,
        "acr_values": conf.acr,
        # FranceConnect v2: always show the identity provider and the consent screen.
        "prompt": "login consent",
    }
    return f"{discovery()['authorization_endpoint']}?{urlencode(params)}"


def _exchange_code(*, code: str, redirect_uri: str) -> dict[str, Any]:
    conf = fc_settings()
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    auth = None
    methods = discovery().get("token_endpoint_auth_methods_supported") or ["client_secret_post"]
    if "client_secret_post" in methods:
        data |= {"client_id": conf.client_id, "client_secret": conf.client_secret}
    else:
        auth = (conf.client_id, conf.client_secret)
    response = _request("POST", discovery()["token_endpoint"], data=data, auth=auth)
    if response.status_code != 200:
        # Typically an expired (30 s) or already used code: the person starts again.
        raise FranceConnectError("token_refused", status=400, message=MESSAGE_RETRY)
    tokens = _json(response, "token_invalid")
    if not all(isinstance(tokens.get(key), str) and tokens[key] for key in ("access_token", "id_token")):
        raise FranceConnectError("token_invalid")
    if str(tokens.get("token_type", "")).lower() != "bearer":
        raise FranceConnectError("token_invalid")
    return tokens


def _fetch_userinfo(*, access_token: str, sub: str) -> dict[str, Any]:
    response = _request(
        "GET",
        discovery()["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/jwt"},
    )
    if response.status_code != 200:
        raise FranceConnectError("userinfo_refused", status=400, message=MESSAGE_RETRY)
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type != "application/jwt":
        # v2 signs its userinfo; plain JSON could have been altered on the way.
        raise FranceConnectError("userinfo_unsigned")
    claims = _decode_signed(response.text.strip(), what="userinfo", required=["iss", "aud", "sub"])
    if not hmac.compare_digest(str(claims["sub"]), sub):
        raise FranceConnectError("userinfo_sub_mismatch")
    return claims


def _verified_email(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    email = value.strip()
    try:
        validate_email(email)
    except ValidationError:
        return None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _birth_year(value: Any) -> int | None:
    # birthdate is YYYY-MM-DD; unknown parts may be zeros. Only the year is kept.
    if not isinstance(value, str) or len(value) < 4 or not value[:4].isdigit():
        return None
    year = int(value[:4])
    return year if 1900 <= year <= timezone.now().year else None


def authenticate(*, code: str, nonce: str, redirect_uri: str) -> tuple[VerifiedIdentity, str]:
    """Finish the login: returns the verified identity and the raw ID token (for logout)."""
    tokens = _exchange_code(code=code, redirect_uri=redirect_uri)
    id_claims = verify_id_token(tokens["id_token"], nonce=nonce, access_token=tokens["access_token"])
    userinfo = _fetch_userinfo(access_token=tokens["access_token"], sub=id_claims["sub"])
    identity = VerifiedIdentity(
        sub=id_claims["sub"],
        acr=id_claims["acr"],
        email=_verified_email(userinfo.get("email")),
        birth_year=_birth_year(userinfo.get("birthdate")),
    )
    return identity, tokens["id_token"]


def end_session_url(*, id_token: str, state: str, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser to end the FranceConnect session, if the provider offers it."""
    endpoint = discovery().get("end_session_endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        return None
    params = {"id_token_hint": id_token, "state": state, "post_logout_redirect_uri": post_logout_redirect_uri}
    return f"{endpoint}?{urlencode(params)}"
