"""The roles of the platform, declared once as django-rules predicates.

Apps combine them into named permissions in their own rules.py, for example::

    rules.add_perm("petitions.sign_petition", is_verified_resident & ~is_blocked & phase_is_active("signature"))

docs/ROLES.md is the table of roles x actions x phases built from these.
Predicates receive (user, obj); `obj` may be None when a permission is checked
without an object.
"""

from __future__ import annotations

from typing import Any

import rules

from civicplatform.accounts.models import VerificationLevel

# Phase predicates live with the phase models; apps may import them from either module.
from civicplatform.core.phases import phase_is_active

__all__ = [
    "is_any_moderator",
    "is_authenticated",
    "is_blocked",
    "is_elector",
    "is_email_confirmed",
    "is_moderator_of",
    "is_site_moderator",
    "is_staff",
    "is_verified_resident",
    "phase_is_active",
]


def _level(user: Any) -> int:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return -1
    return int(getattr(user, "verification_level", VerificationLevel.NONE))


@rules.predicate
def is_authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


@rules.predicate
def is_email_confirmed(user: Any) -> bool:
    """A citizen: a person with an account and a confirmed e-mail address (or an account made at the desk)."""
    return _level(user) >= VerificationLevel.EMAIL


@rules.predicate
def is_verified_resident(user: Any) -> bool:
    """Residence checked against the census or in person (registered electors included)."""
    return _level(user) >= VerificationLevel.RESIDENT


@rules.predicate
def is_elector(user: Any) -> bool:
    """On the municipality's electoral list (local referendums)."""
    return _level(user) >= VerificationLevel.ELECTOR


@rules.predicate
def is_staff(user: Any) -> bool:
    """Municipal staff: Wagtail admin and back office."""
    return is_authenticated(user) and bool(getattr(user, "is_staff", False))


@rules.predicate
def is_blocked(user: Any) -> bool:
    """Barred from contributing by a moderator (moderation.UserBlock)."""
    from civicplatform.moderation.selectors import user_is_blocked_cached

    return is_authenticated(user) and user_is_blocked_cached(user)


@rules.predicate
def is_moderator_of(user: Any, obj: Any) -> bool:
    """Moderates the space of `obj`.

    `obj` is a piece of content (anything with get_moderation_space()) or a space
    itself. Content without a space, and a check without an object, need a
    site-wide assignment.
    """
    from civicplatform.moderation.selectors import user_moderates

    if not is_authenticated(user):
        return False
    space = obj.get_moderation_space() if hasattr(obj, "get_moderation_space") else obj
    return user_moderates(user, space)


@rules.predicate
def is_any_moderator(user: Any) -> bool:
    """Moderates at least one space (or the whole site)."""
    from civicplatform.moderation.selectors import moderator_assignments_of

    return is_authenticated(user) and bool(moderator_assignments_of(user))


@rules.predicate
def is_site_moderator(user: Any) -> bool:
    """Moderates the whole site, not only some spaces."""
    from civicplatform.moderation.selectors import moderator_assignments_of

    return is_authenticated(user) and any(a.is_site_wide for a in moderator_assignments_of(user))
