"""The FranceConnect settings, read at call time so tests can override them."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# eIDAS levels in increasing order of assurance. FranceConnect serves eidas1;
# FranceConnect+ serves eidas2 and eidas3.
EIDAS_LEVELS = {"eidas1": 1, "eidas2": 2, "eidas3": 3}


@dataclass(frozen=True)
class FranceConnectSettings:
    enabled: bool
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    acr: str
    timeout: int


def fc_settings() -> FranceConnectSettings:
    return FranceConnectSettings(
        enabled=getattr(settings, "FRANCECONNECT_ENABLED", False),
        issuer=getattr(settings, "FRANCECONNECT_ISSUER", "").rstrip("/"),
        client_id=getattr(settings, "FRANCECONNECT_CLIENT_ID", ""),
        client_secret=getattr(settings, "FRANCECONNECT_CLIENT_SECRET", ""),
        scopes=getattr(settings, "FRANCECONNECT_SCOPES", "openid"),
        acr=getattr(settings, "FRANCECONNECT_ACR", "eidas1"),
        timeout=getattr(settings, "FRANCECONNECT_HTTP_TIMEOUT", 10),
    )


def is_enabled() -> bool:
    return bool(getattr(settings, "FRANCECONNECT_ENABLED", False))
