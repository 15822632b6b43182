"""Permissions of juries.

Staff run recruitment, the draw, the sessions and the authority's response; anyone may read a
published jury and register with a letter's code while registration is open (checked by the
service). The workspace (sessions, materials, questions to experts, the members' forum, drafting
and the secret vote) is for the seated members, whose seat is linked to their account, and staff.
"""

from __future__ import annotations

from typing import Any

import rules

from civicplatform.core.predicates import is_staff


@rules.predicate
def is_seated_member(user: Any, jury: Any) -> bool:
    """A member currently sitting on this jury (a linked seat that has not ended)."""
    if jury is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    from .selectors import seat_for

    return seat_for(user=user, jury=jury) is not None


def takes_part(user: Any, jury: Any) -> bool:
    """Whether the user may act as a member (vote, draft, sign, ask experts): a role, not a permission,
    so it is tested directly: `has_perm` would grant it to every superuser."""
    return is_seated_member.test(user, jury)


rules.add_perm("juries.manage_jury", is_staff)
rules.add_perm("juries.enter_workspace", is_seated_member | is_staff)
