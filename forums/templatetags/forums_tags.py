from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import template
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from civicplatform.core.registry import has_capability
from forums.forms import comment_form_for, discussion_is_private
from forums.models import Alignment, CommentSort
from forums.selectors import (
    PAGE_PARAM,
    SORT_PARAM,
    comment_section,
    normalise_target,
    target_key,
    target_label,
)
from forums.services import ensure_can_comment

register = template.Library()

# A site address written in a forum's description, such as "/jurys/budget/espace/": starts and ends with "/",
# not part of a longer address or word.
_SITE_PATH = re.compile(r"(?<![\w/:.])/(?:[\w-]+/)+")


@register.filter
def forum_description(text: str) -> SafeString:
    """The forum's description in paragraphs, its site addresses as links (a jury's forum points back to
    the jury's workspace this way, without forums knowing about juries)."""
    linked = _SITE_PATH.sub(lambda match: f'<a href="{match.group(0)}">{match.group(0)}</a>', escape(text))
    return mark_safe(linebreaks(linked))  # escaped above: only the links are markup


def _query_url(request: Any, **changes: Any) -> str:
    query = request.GET.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}#comments" if encoded else "#comments"


@register.inclusion_tag("forums/_comments.html", takes_context=True)
def comments_for(context: template.Context, target: Any) -> dict[str, Any]:
    """The whole comments section of `target`: count, composer, sort, comments, pages.
    Renders nothing for an object that is not registered "commentable"."""
    request = context.get("request")
    if target is None or request is None:
        return {"section": None}
    return comments_context(request, target)


def comments_context(request: Any, target: Any) -> dict[str, Any]:
    """What forums/_comments.html needs; the thread page includes it with this context too."""
    target = normalise_target(target)
    if not has_capability("commentable", target):
        return {"section": None}
    user = getattr(request, "user", None) or AnonymousUser()
    section = comment_section(
        target=target, user=user, sort=request.GET.get(SORT_PARAM, ""), page_number=request.GET.get(PAGE_PARAM)
    )
    refusal = ""
    if user.is_authenticated and not section.can_comment:
        try:
            ensure_can_comment(user=user, target=target)
        except PermissionDenied as error:
            refusal = str(error)
    page = section.page
    debate = bool(getattr(target, "takes_alignment", False))
    return {
        "section": section,
        "user": user,
        "request": request,
        "form": comment_form_for(target)(private=discussion_is_private(target)),
        "refusal": refusal,
        "next": request.get_full_path(),
        "login_url": f"{reverse('account_login')}?{urlencode({'next': request.get_full_path() + '#comments'})}",
        "create_url": reverse("forums:comment_create", args=[target_label(target), target_key(target)]),
        "sort_links": [
            {
                "label": sort.label,
                "url": _query_url(request, **{SORT_PARAM: sort.value, PAGE_PARAM: None}),
                "current": sort == section.sort,
            }
            for sort in CommentSort
        ],
        "previous_url": _query_url(request, **{PAGE_PARAM: page.previous_page_number()}) if page.has_previous() else "",
        "next_page_url": _query_url(request, **{PAGE_PARAM: page.next_page_number()}) if page.has_next() else "",
        "debate": debate,
        "columns": _debate_columns(page.object_list) if debate else [],
        "insert": _insert_policy(section.sort, page),
    }


def _debate_columns(comments: list[Any]) -> list[dict[str, Any]]:
    return [
        {"key": side.value, "label": side.label, "comments": [c for c in comments if c.alignment == side.value]}
        for side in Alignment
    ]


def _insert_policy(sort: str, page: Any) -> str:
    """Where a live page puts a new top-level comment: at the top of the first page, at the
    end of the last page in date order, nowhere on other pages (a notice offers to show it)."""
    if sort == CommentSort.OLDEST:
        return "end" if not page.has_next() else ""
    return "start" if page.number == 1 else ""
