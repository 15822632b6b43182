from __future__ import annotations

from django import template

from civicplatform.verification.desk import acting_for
from civicplatform.verification.selectors import VerificationStatus, verification_status_for

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_acting_for(context):
    """The person the staff member is acting for at the desk, for the banner on every page."""
    request = context.get("request")
    if request is None or not hasattr(request, "session") or not getattr(request, "user", None):
        return None
    return acting_for(request)


@register.simple_tag
def verification_status(user) -> VerificationStatus | None:
    if user is None or not user.is_authenticated:
        return None
    return verification_status_for(user)
