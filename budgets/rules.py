"""Permissions of participatory budgets. The table is in docs/ROLES.md ("Participatory budgets").

The object is a BudgetProcess or a Project. Voting permissions live with the
ballots in budgets.voting.
"""

from __future__ import annotations

import rules

from civicplatform.core.predicates import is_blocked

from .predicates import (
    has_shortlist_phase,
    is_eligible,
    is_implementation_tracker,
    is_project_object,
    is_reviewer,
    project_is_implemented,
    project_is_supportable,
    shortlist_open,
    submission_open,
    voting_not_started,
    voting_over,
)

# Processes and their projects are public, before, during and after every phase:
# hidden projects keep their page, showing the moderation notice in their place.
rules.add_perm("budgets.view_process", rules.always_allow)
rules.add_perm("budgets.view_project", rules.always_allow)

# Residents who meet the process's policy propose ideas while submission is open.
rules.add_perm("budgets.submit_project", is_eligible & ~is_blocked & submission_open)

# Supports shortlist feasible projects, while the shortlist phase is open.
rules.add_perm(
    "budgets.support_project",
    is_project_object & is_eligible & ~is_blocked & shortlist_open & project_is_supportable,
)

# Technical review (feasibility, cost, merging duplicates) until the vote opens.
rules.add_perm("budgets.review_project", is_reviewer & voting_not_started)

# Choosing the shortlist from the supports: same people, same window.
rules.add_perm("budgets.select_shortlist", is_reviewer & has_shortlist_phase & voting_not_started)

# Implementation follow-up of selected projects, once the vote is over.
rules.add_perm(
    "budgets.edit_milestones",
    is_project_object & is_implementation_tracker & project_is_implemented & voting_over,
)
