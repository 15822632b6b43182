"""Greedy by votes or points: the rule most cities use.

Projects are ranked by their measure (votes for approval and choose-1 ballots, points
for cumulative, ordinal and scoring ballots), highest first, exact ties ordered by the
tie-breaking chain. The ranking is walked once with the money left:

* `greedy` (pabulib `greedy`, pabutools `greedy_utilitarian_welfare` with `Cost_Sat` for
  votes or a points×cost satisfaction for points): fund every project that still fits,
  skip those that do not, and continue down the list.
* `greedy-no-skip` (pabulib `greedy-no-skip`, Gdynia, Wrocław): stop at the first project
  that does not fit; nothing below it is funded.
* `greedy-threshold` is `greedy` on the projects whose measure reaches the threshold
  (the filter is applied by the caller, `engine.py`).

Only projects that someone supports are ranked: a project without a single vote is
never funded. pabutools differs here (its greedy appends unsupported projects at the end
when money remains); no real city rule funds them.

The same walk, started from MES's purchases with the money MES left, is the greedy
completion of `mes-add1-greedy`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..model import format_amount
from ..outcome import DID_NOT_FIT, GREEDY_STOPPED


@dataclass
class GreedyResult:
    selected: list[str]
    spent: Fraction
    # Unfunded ranked projects: (reason code, params).
    reasons: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)


def greedy(
    candidates: Iterable[str],
    *,
    measure: Mapping[str, int],
    costs: Mapping[str, Fraction],
    budget: Fraction,
    tie_key: Callable[[str], tuple],
    skip: bool = True,
    spent: Fraction = Fraction(0),
) -> GreedyResult:
    """Walk `candidates` by decreasing `measure` (ties: `tie_key`), funding what fits in `budget - spent`."""
    ranking = sorted(candidates, key=lambda pid: (-measure[pid], tie_key(pid)))
    result = GreedyResult(selected=[], spent=spent)
    stopped_at: str | None = None
    for pid in ranking:
        remaining = budget - result.spent
        if stopped_at is not None:
            result.reasons[pid] = (GREEDY_STOPPED, {"stopped_at": stopped_at})
        elif costs[pid] <= remaining:
            result.selected.append(pid)
            result.spent += costs[pid]
        else:
            result.reasons[pid] = (
                DID_NOT_FIT,
                {"remaining": format_amount(remaining), "cost": format_amount(costs[pid])},
            )
            if not skip:
                stopped_at = pid
    return result
