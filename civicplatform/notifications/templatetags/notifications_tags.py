from __future__ import annotations

from django import template
from django.urls import reverse

from civicplatform.core.registry import has_capability
from civicplatform.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """Unread notifications of the signed-in person; counted once per request."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return 0
    if request is not None and hasattr(request, "_unread_notification_count"):
        return request._unread_notification_count
    count = selectors.unread_count(user=user)
    if request is not None:
        request._unread_notification_count = count
    return count


@register.simple_tag(takes_context=True)
def follow_state(context, obj) -> dict:
    """What the follow button needs: whether `obj` can be followed, the URL, and the current state."""
    if obj is None or not has_capability("followable", obj):
        return {"followable": False}
    user = context.get("user")
    return {
        "followable": True,
        "url": reverse(
            "notifications:follow",
            kwargs={"model": selectors.follow_model_key(obj), "ref": selectors.follow_ref(obj)},
        ),
        "following": selectors.is_following(user=user, target=obj),
        "authenticated": getattr(user, "is_authenticated", False),
    }
