from __future__ import annotations

from django.http import HttpRequest

from civicplatform.core.registry import nav_sections


def site_chrome(request: HttpRequest) -> dict:
    """The menu sections registered by the participation apps, for base.html."""
    return {"nav_sections": nav_sections()}
