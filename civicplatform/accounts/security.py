"""Glue between allauth and django-axes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str | None:
    """The account name django-axes counts failures against (AXES_USERNAME_CALLABLE).

    allauth authenticates with ``email=...`` while the form field is ``login``;
    without this, axes would see no username and lock the whole IP address
    instead of one account from one address. Lower-cased so that "Anne@" and
    "anne@" share one counter.
    """
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("login")
    if not value:
        return None
    return str(value).strip().lower()
