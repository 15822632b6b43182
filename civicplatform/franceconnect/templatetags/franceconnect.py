from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from civicplatform.franceconnect import sessions
from civicplatform.franceconnect.conf import is_enabled
from civicplatform.franceconnect.models import FranceConnectIdentity
from civicplatform.franceconnect.selectors import franceconnect_identity_for_user

register = template.Library()


@register.simple_tag
def franceconnect_enabled() -> bool:
    return is_enabled()


@register.simple_tag(takes_context=True)
def franceconnect_logout_url(context: dict[str, Any]) -> str:
    """Where the site's logout form posts: through FranceConnect when this session came from it."""
    request = context.get("request")
    if request is not None and is_enabled() and sessions.id_token_get(request):
        return reverse("franceconnect:logout")
    return reverse("account_logout")


@register.simple_tag(takes_context=True)
def franceconnect_identity(context: dict[str, Any]) -> FranceConnectIdentity | None:
    request = context.get("request")
    if request is None or not is_enabled():
        return None
    return franceconnect_identity_for_user(user=request.user)
