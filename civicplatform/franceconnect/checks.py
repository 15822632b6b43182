"""Refuse to start a half-configured integration (`manage.py check`, `check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from civicplatform.franceconnect.conf import EIDAS_LEVELS, fc_settings


@register()
def franceconnect_settings_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    conf = fc_settings()
    if not conf.enabled:
        return []
    errors = []
    for name, value in (
        ("FRANCECONNECT_ISSUER", conf.issuer),
        ("FRANCECONNECT_CLIENT_ID", conf.client_id),
        ("FRANCECONNECT_CLIENT_SECRET", conf.client_secret),
    ):
        if not value:
            errors.append(Error(f"{name} is empty while FRANCECONNECT_ENABLED is on.", id="franceconnect.E001"))
    if conf.issuer and not conf.issuer.startswith("https://") and not settings.DEBUG:
        errors.append(Error("FRANCECONNECT_ISSUER must be an https:// URL.", id="franceconnect.E002"))
    if conf.acr not in EIDAS_LEVELS:
        errors.append(
            Error(
                f"FRANCECONNECT_ACR must be one of {', '.join(EIDAS_LEVELS)}, got {conf.acr!r}.",
                id="franceconnect.E003",
            )
        )
    if "openid" not in conf.scopes.split():
        errors.append(Error("FRANCECONNECT_SCOPES must contain 'openid'.", id="franceconnect.E004"))
    if not settings.SITE_URL.startswith("https://") and not settings.DEBUG:
        errors.append(
            Error(
                "SITE_URL must be an https:// URL: FranceConnect only redirects to https callbacks.",
                id="franceconnect.E005",
            )
        )
    return errors
