"""What a tally returns: the winners, the money, and a reason for every project.

Reason codes are stable identifiers; `explain.py` turns a code and its parameters into
a sentence (an English msgid the results page translates). Amounts in `reason_params`
are exact decimal strings (`format_amount`), counts are ints, so an outcome serialises
to JSON as is (`Outcome.as_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .model import format_amount

# Funded by the rule itself (greedy order, or bought by its supporters' shares in MES).
SELECTED = "selected"
# Funded by the greedy completion that follows MES (`mes-add1-greedy`).
SELECTED_IN_COMPLETION = "selected_in_completion"
# No ballot supports it: no rule here funds a project nobody asked for.
NO_SUPPORT = "no_support"
# Votes (or points) below the eligibility threshold: params threshold, measure, value.
BELOW_THRESHOLD = "below_threshold"
# Greedy reached it when less money was left than it costs: params remaining, cost.
DID_NOT_FIT = "did_not_fit"
# greedy-no-skip stopped at an earlier project that did not fit: params stopped_at.
GREEDY_STOPPED = "greedy_stopped"
# MES: when the rule ended, its supporters held less than its cost: params supporters_money,
# cost, endowment (per voter); money is rounded down to the cent (format_money).
SHARES_INSUFFICIENT = "shares_insufficient"

REASON_CODES = (
    SELECTED,
    SELECTED_IN_COMPLETION,
    NO_SUPPORT,
    BELOW_THRESHOLD,
    DID_NOT_FIT,
    GREEDY_STOPPED,
    SHARES_INSUFFICIENT,
)


@dataclass(frozen=True)
class ProjectResult:
    """One project's result. `votes`: ballots listing it; `score`: its points (= votes for approval)."""

    id: str
    selected: bool
    votes: int
    score: int
    reason_code: str
    reason_params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MesRound:
    """One purchase in the final MES run, enough to explain it.

    `rho`: price per unit of utility the supporters paid (smallest first wins);
    `effective_votes`: cost ÷ the full share one supporter paid per unit of utility —
    equalshares.net's "effective vote count" for approval ballots (effective points for
    points ballots); `max_payment`: that full share (per point for points ballots);
    `supporters_money`: what the project's supporters held just before; `spent`: total
    spent after this purchase.
    """

    number: int
    project: str
    rho: Fraction
    effective_votes: Fraction
    max_payment: Fraction
    supporters_money: Fraction
    spent: Fraction

    def as_dict(self) -> dict[str, Any]:
        return {
            "round": self.number,
            "project": self.project,
            "rho": str(self.rho),
            "effective_votes": _decimal(self.effective_votes),
            "max_payment": _decimal(self.max_payment),
            "supporters_money": _decimal(self.supporters_money),
            "spent": format_amount(self.spent),
        }


def _decimal(value: Fraction) -> str:
    # Log values are often non-decimal fractions; 2 places are plenty to explain a round.
    return f"{float(value):.2f}"


@dataclass(frozen=True)
class Outcome:
    """The result of `tally()`.

    `selected`: project ids in the order they were funded. `results`: every project, in
    file order. For MES rules, `endowment` is the per-voter endowment of the run whose
    outcome was kept, `runs` the number of MES runs Add1 made, `rounds` the purchases of
    that run (greedy completion purchases are not rounds).
    """

    rule: str
    budget: Fraction
    spent: Fraction
    selected: tuple[str, ...]
    results: dict[str, ProjectResult]
    tie_breaking: tuple[str, ...]
    threshold: int | None = None
    endowment: Fraction | None = None
    runs: int = 0
    rounds: tuple[MesRound, ...] = ()

    @property
    def remaining(self) -> Fraction:
        return self.budget - self.spent

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "selected": list(self.selected),
            "spent": format_amount(self.spent),
            "budget": format_amount(self.budget),
            "tie_breaking": list(self.tie_breaking),
            "threshold": self.threshold,
            "endowment": None if self.endowment is None else format_amount(self.endowment),
            "runs": self.runs,
            "projects": [
                {
                    "id": result.id,
                    "selected": result.selected,
                    "votes": result.votes,
                    "score": result.score,
                    "reason": result.reason_code,
                    "params": result.reason_params,
                }
                for result in self.results.values()
            ],
            "rounds": [entry.as_dict() for entry in self.rounds],
        }
