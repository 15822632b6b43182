"""Deployment checks of the petitions app (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_petition_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    warnings = []
    if settings.ALTCHA_ENABLED and not settings.ALTCHA_HMAC_KEY:
        warnings.append(
            checks.Warning(
                "ALTCHA_HMAC_KEY is empty: challenges are signed with a key derived from SECRET_KEY.",
                hint="Set ALTCHA_HMAC_KEY (or ALTCHA_HMAC_KEY_FILE) to its own random value.",
                id="petitions.W001",
            )
        )
    if not settings.PETITIONS_IDENTITY_KEY:
        warnings.append(
            checks.Warning(
                "PETITIONS_IDENTITY_KEY is empty: L1112-16 signatory addresses are encrypted with a key derived "
                "from SECRET_KEY, so rotating SECRET_KEY would make them unreadable.",
                hint="Set PETITIONS_IDENTITY_KEY (or PETITIONS_IDENTITY_KEY_FILE) and keep it safe.",
                id="petitions.W002",
            )
        )
    return warnings
