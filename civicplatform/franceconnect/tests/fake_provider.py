"""A FranceConnect v2 stand-in that lives inside the test process.

It signs with its own keys (RSA and EC generated here), serves discovery, JWKS,
token and userinfo answers through a patched `requests.request`, and lets each
test spoil one thing (the nonce, the acr, the key, the userinfo format...).
No network is involved.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://fc.test/api/v2"
CLIENT_ID = "civic-platform-client"
CLIENT_SECRET = "client-secret-for-tests-0123456789abcdef"
SUB = "b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1"

# Key generation is slow: once per test session is enough.
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_KEY_ROTATED = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_KEY_UNPUBLISHED = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())

USERINFO = {
    "sub": SUB,
    "given_name": "Angela Claire Louise",
    "family_name": "DUBOIS",
    "birthdate": "1962-08-24",
    "email": "angela.dubois@example.fr",
}


def _public_jwk(private_key: Any, *, kid: str) -> dict[str, Any]:
    if isinstance(private_key, rsa.RSAPrivateKey):
        jwk = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        jwk["alg"] = "RS256"
    else:
        jwk = ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        jwk["alg"] = "ES256"
    return jwk | {"kid": kid, "use": "sig"}


def _response(status: int, body: str | bytes, content_type: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body.encode() if isinstance(body, str) else body
    response.headers["Content-Type"] = content_type
    response.encoding = "utf-8"
    return response


class FakeFranceConnect:
    def __init__(self) -> None:
        self.published = {"rsa-1": RSA_KEY, "ec-1": EC_KEY}
        self.signing_kid = "rsa-1"
        self.signing_key: Any = None  # set to sign with a key outside the JWKS
        self.calls: list[tuple[str, str]] = []
        self.authorizations: list[dict[str, str]] = []
        self.codes: dict[str, str] = {}  # code -> nonce
        self.id_token_claims: dict[str, Any] = {}  # overrides
        self.userinfo = dict(USERINFO)
        self.userinfo_format = "jwt"  # or "json", "hs256", "none", "jwe"
        self.token_status = 200
        self.unreachable = False
        self.access_token = "access-token-for-tests"
        self.with_end_session = True

    # -- what a test looks at

    def count(self, path_end: str) -> int:
        return sum(1 for _method, url in self.calls if url.endswith(path_end))

    def authorize(self, authorization_url: str) -> str:
        """Play the person logging in at FranceConnect; returns the code for the callback."""
        params = {key: values[0] for key, values in parse_qs(urlsplit(authorization_url).query).items()}
        self.authorizations.append(params)
        code = f"code-{len(self.authorizations)}"
        self.codes[code] = params["nonce"]
        return code

    # -- signing

    def sign(self, claims: dict[str, Any], *, kid: str | None = None, key: Any = None) -> str:
        kid = kid or self.signing_kid
        key = key or self.signing_key or self.published[kid]
        alg = "RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256"
        return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        digest = hashlib.sha256(self.access_token.encode()).digest()[:16]
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": SUB,
            "exp": now + 60,
            "iat": now,
            "auth_time": now,
            "nonce": nonce,
            "acr": "eidas1",
            "at_hash": base64.urlsafe_b64encode(digest).rstrip(b"=").decode(),
        }
        claims.update(self.id_token_claims)
        return self.sign({key: value for key, value in claims.items() if value is not None})

    # -- the endpoints

    def discovery(self) -> dict[str, Any]:
        document = {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/authorize",
            "token_endpoint": f"{ISSUER}/token",
            "userinfo_endpoint": f"{ISSUER}/userinfo",
            "jwks_uri": f"{ISSUER}/jwks",
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "id_token_signing_alg_values_supported": ["ES256", "RS256"],
            "userinfo_signing_alg_values_supported": ["ES256", "RS256"],
            "acr_values_supported": ["eidas1"],
        }
        if self.with_end_session:
            document["end_session_endpoint"] = f"{ISSUER}/session/end"
        return document

    def handle(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        self.calls.append((method, url))
        if self.unreachable:
            raise requests.ConnectionError("fake network failure")
        if url == f"{ISSUER}/.well-known/openid-configuration":
            return _response(200, json.dumps(self.discovery()), "application/json")
        if url == f"{ISSUER}/jwks":
            keys = [_public_jwk(key, kid=kid) for kid, key in self.published.items()]
            return _response(200, json.dumps({"keys": keys}), "application/json")
        if url == f"{ISSUER}/token" and method == "POST":
            return self._token(kwargs.get("data") or {})
        if url == f"{ISSUER}/userinfo" and method == "GET":
            return self._userinfo(kwargs.get("headers") or {})
        return _response(404, "not found", "text/plain")

    def _token(self, data: dict[str, str]) -> requests.Response:
        nonce = self.codes.pop(data.get("code", ""), None)  # codes are single use
        if (
            self.token_status != 200
            or nonce is None
            or data.get("client_id") != CLIENT_ID
            or data.get("client_secret") != CLIENT_SECRET
            or data.get("grant_type") != "authorization_code"
        ):
            return _response(400, json.dumps({"error": "invalid_grant"}), "application/json")
        body = {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": 60,
            "id_token": self.id_token(nonce),
            "scope": "openid given_name family_name email birthdate",
        }
        return _response(200, json.dumps(body), "application/json")

    def _userinfo(self, headers: dict[str, str]) -> requests.Response:
        if headers.get("Authorization") != f"Bearer {self.access_token}":
            return _response(401, "", "text/plain")
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": CLIENT_ID, "iat": now, "exp": now + 60} | self.userinfo
        if self.userinfo_format == "json":
            return _response(200, json.dumps(claims), "application/json")
        if self.userinfo_format == "hs256":
            return _response(200, jwt.encode(claims, CLIENT_SECRET, algorithm="HS256"), "application/jwt")
        if self.userinfo_format == "none":
            return _response(200, jwt.encode(claims, None, algorithm="none"), "application/jwt")
        if self.userinfo_format == "jwe":
            return _response(200, "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", "application/jwt")
        return _response(200, self.sign(claims), "application/jwt; charset=utf-8")
