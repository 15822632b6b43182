"""What this app holds about a person (GDPR export) and how it forgets them (erasure)."""

from __future__ import annotations

from typing import Any

from civicplatform.franceconnect.models import FranceConnectIdentity


def export_identity(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "franceconnect_subject": link.sub,
            "eidas_level": link.acr,
            "linked_on": link.created_at,
            "last_login_with_franceconnect": link.last_login_at,
        }
        for link in FranceConnectIdentity.objects.filter(user=user)
    ]


def erase_identity(user: Any) -> None:
    # An erased account must no longer be reachable through FranceConnect.
    FranceConnectIdentity.objects.filter(user=user).delete()
