from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS = {
    "moderation.content_hide": _("Hidden by a moderator"),
    "moderation.content_auto_hide": _("Hidden automatically after reports"),
    "moderation.content_restore": _("Restored"),
    "moderation.reports_dismiss": _("Reports dismissed"),
    "moderation.user_block": _("Person blocked"),
    "moderation.user_unblock": _("Block lifted"),
}


@register.filter
def moderation_action_label(action: str) -> str:
    """A moderation action code as a sentence for the decision page's history."""
    return str(ACTION_LABELS.get(action, action))


@register.filter
def report_url(content: Any) -> str:
    """{{ comment|report_url }}: the page where anyone can report this content."""
    return reverse("moderation:report", args=[content._meta.label_lower, content.public_id])


@register.filter
def moderation_url(content: Any) -> str:
    """{{ comment|moderation_url }}: the moderators' decision page for this content."""
    return reverse("moderation:content", args=[content._meta.label_lower, content.public_id])


@register.simple_tag(takes_context=True)
def may_report(context: template.Context, content: Any) -> bool:
    """Whether to offer the report link. Without a user in the context (a fragment
    rendered for a live broadcast) the link is offered: the report page decides."""
    user = context.get("user")
    if user is None:
        return not getattr(content, "is_hidden", False)
    return user.has_perm("moderation.report_content", content)


@register.simple_tag(takes_context=True)
def may_moderate(context: template.Context, content: Any) -> bool:
    user = context.get("user")
    return user is not None and user.has_perm("moderation.moderate_content", content)
