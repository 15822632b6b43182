"""Predicates of consultations, combined into permissions in rules.py."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_published(user: Any, obj: Any) -> bool:
    return bool(getattr(obj, "published", False))


@rules.predicate
def results_are_public(user: Any, questionnaire: Any) -> bool:
    return questionnaire is not None and questionnaire.results_are_public()


@rules.predicate
def vote_is_closed(user: Any, vote: Any) -> bool:
    return vote is not None and vote.is_closed()


@rules.predicate
def works_at_desk(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm("verification.work_at_desk")
