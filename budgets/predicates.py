"""Who may do what in a budget process, and when. Combined into permissions in rules.py.

Predicates receive (user, obj) where `obj` is a BudgetProcess or a Project (its
process is then `obj.process`). Phases are read through BudgetProcess.get_phases(),
which skips disabled phases and uses prefetched rows on list pages.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from .models import IMPLEMENTATION_STATUSES, BudgetProcess, PhaseKind, ProjectStatus


def process_of(obj: Any) -> BudgetProcess | None:
    if obj is None:
        return None
    if isinstance(obj, BudgetProcess):
        return obj
    return getattr(obj, "process", None)


def _has_model_perm(user: Any, perm: str) -> bool:
    # Asked of the model backend directly: user.has_perm() would come back to
    # django-rules, which declares a permission of the same name.
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return ModelBackend().has_perm(user, perm)


@rules.predicate
def is_eligible(user: Any, obj: Any) -> bool:
    """Meets the process's eligibility policy (verification level, districts, age)."""
    process = process_of(obj)
    if process is None:
        return False
    return process.eligibility_policy().check(user, today=timezone.localdate()).allowed


def phase_open(kind: str) -> rules.Predicate:
    def check(user: Any, obj: Any) -> bool:
        process = process_of(obj)
        return process is not None and process.is_phase_open(kind)

    return rules.Predicate(check, name=f"budgets_phase_open:{kind}")


@rules.predicate
def is_reviewer(user: Any) -> bool:
    """Technical evaluator: staff, or given the "review budget projects" permission."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.is_active
        and (user.is_staff or _has_model_perm(user, "budgets.review_project"))
    )


@rules.predicate
def is_implementation_tracker(user: Any) -> bool:
    """Follows up implementation: staff, or given the "change milestone" permission."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.is_active
        and (user.is_staff or _has_model_perm(user, "budgets.change_milestone"))
    )


@rules.predicate
def voting_not_started(user: Any, obj: Any) -> bool:
    """Reviews and the shortlist change what is on the ballot: frozen once the vote opens."""
    process = process_of(obj)
    return process is not None and not process.has_voting_started()


@rules.predicate
def voting_over(user: Any, obj: Any) -> bool:
    process = process_of(obj)
    return process is not None and process.is_voting_over()


@rules.predicate
def has_shortlist_phase(user: Any, obj: Any) -> bool:
    process = process_of(obj)
    return process is not None and process.has_phase(PhaseKind.SHORTLIST)


@rules.predicate
def project_is_supportable(user: Any, project: Any) -> bool:
    """Only projects found feasible, and visible, gather supports."""
    return (
        project is not None
        and getattr(project, "status", None) == ProjectStatus.FEASIBLE
        and not getattr(project, "is_hidden", True)
    )


@rules.predicate
def project_is_implemented(user: Any, project: Any) -> bool:
    return project is not None and getattr(project, "status", None) in IMPLEMENTATION_STATUSES


@rules.predicate
def is_project_object(user: Any, obj: Any) -> bool:
    return obj is not None and not isinstance(obj, BudgetProcess) and hasattr(obj, "process")


submission_open = phase_open(PhaseKind.SUBMISSION)
shortlist_open = phase_open(PhaseKind.SHORTLIST)
