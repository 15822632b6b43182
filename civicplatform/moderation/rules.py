"""Who may report, moderate and block. The table is in docs/ROLES.md.

Moderation does not depend on the phase of a participation: content can be
reported and moderated before, during and after it, and a closed budget
process keeps its moderators.
"""

from __future__ import annotations

from typing import Any

import rules

from civicplatform.core.predicates import (
    is_any_moderator,
    is_blocked,
    is_moderator_of,
    is_site_moderator,
    is_staff,
)


@rules.predicate
def is_content_hidden(user: Any, content: Any) -> bool:
    return bool(getattr(content, "is_hidden", False))


@rules.predicate
def is_content_author(user: Any, content: Any) -> bool:
    if content is None or not getattr(user, "is_authenticated", False):
        return False
    get_author_id = getattr(content, "get_moderation_author_id", None)
    return get_author_id is not None and get_author_id() == user.pk


@rules.predicate
def is_self(user: Any, target: Any) -> bool:
    return target is not None and getattr(target, "pk", None) == user.pk


@rules.predicate
def target_is_staff(user: Any, target: Any) -> bool:
    # Staff accounts are managed by the town hall, not blocked from the queue.
    return bool(getattr(target, "is_staff", False))


# Anyone, even without an account, may report visible content, except their own;
# a blocked person has lost the right to take part, reporting included.
rules.add_perm("moderation.report_content", ~is_blocked & ~is_content_hidden & ~is_content_author)
# Object level: the content's space (or the space itself) must be one the person moderates.
rules.add_perm("moderation.moderate_content", is_staff | (is_moderator_of & ~is_blocked))
rules.add_perm("moderation.view_queue", is_staff | (is_any_moderator & ~is_blocked))
# Blocking bars a person from the whole site, so it is kept for staff and site-wide
# moderators: the moderator of one space hides content and asks them.
rules.add_perm(
    "moderation.block_user",
    (is_staff | (is_site_moderator & ~is_blocked)) & ~is_self & ~target_is_staff,
)
rules.add_perm("moderation.assign_moderator", is_staff)
