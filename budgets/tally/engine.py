"""`tally()`: one entry point for every rule, returning an explained `Outcome`.

Rules (`RULES`), all on the same eligibility filter:

* a project nobody supports (0 votes, or 0 points for points ballots) is never funded
  (`no_support`);
* with a threshold, a project whose measure — votes for approval and choose-1 ballots,
  points for cumulative, ordinal and scoring ballots — is below it is not eligible
  (`below_threshold`). `greedy-threshold` takes the threshold from the argument, else
  from META `min_project_score_threshold`, and refuses to run without one; the other rules
  apply a threshold only when one is passed.

Then `greedy`, `greedy-no-skip`, `greedy-threshold`: see `rules/greedy.py`. `mes-add1`:
the pabulib `equalshares/add1` rule (Wieliczka 2023) — MES with cost utilities on
approval ballots and points utilities on points ballots, endowment ⌊budget ÷ voters⌋
raised by 1 per voter while the next run would not overspend (`rules/mes.py`).
`mes-add1-greedy`: the same, then the greedy completion by the same measure (votes, or
points when MES used points) with the money left. Exact ties follow the tie-breaking
chain (`tiebreak.py`, default min cost, then max votes, then id).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from .model import Election, format_amount, format_money
from .outcome import (
    BELOW_THRESHOLD,
    NO_SUPPORT,
    SELECTED,
    SELECTED_IN_COMPLETION,
    SHARES_INSUFFICIENT,
    Outcome,
    ProjectResult,
)
from .profile import UTILITY_COST, UTILITY_POINTS, compile_problem
from .rules.greedy import greedy
from .rules.mes import MesOptions, equal_shares
from .tiebreak import TieBreaking

GREEDY = "greedy"
GREEDY_NO_SKIP = "greedy-no-skip"
GREEDY_THRESHOLD = "greedy-threshold"
MES_ADD1 = "mes-add1"
MES_ADD1_GREEDY = "mes-add1-greedy"
RULES = (GREEDY, GREEDY_NO_SKIP, GREEDY_THRESHOLD, MES_ADD1, MES_ADD1_GREEDY)
THRESHOLD_META_KEY = "min_project_score_threshold"


def meta_threshold(election: Election) -> int | None:
    """META `min_project_score_threshold` as a whole number (None when absent or empty)."""
    text = election.meta.get(THRESHOLD_META_KEY, "").strip()
    if not text:
        return None
    try:
        # Votes and points are whole numbers: reaching 30.5 means reaching 31.
        return math.ceil(Fraction(text))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"META {THRESHOLD_META_KEY} is not a number: {text!r}") from None


def tally(
    election: Election,
    rule: str = GREEDY,
    *,
    tie_breaking: str | Iterable[str] | TieBreaking | None = None,
    threshold: int | None = None,
    mes_options: MesOptions | None = None,
) -> Outcome:
    """Tally `election` with `rule`; `mes_options` overrides the MES specification of the mes-* rules."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose from {', '.join(RULES)}")
    if rule == GREEDY_THRESHOLD and threshold is None:
        threshold = meta_threshold(election)
        if threshold is None:
            raise ValueError(f"greedy-threshold needs a threshold: pass one or set META {THRESHOLD_META_KEY}")
    ties = TieBreaking.parse(tie_breaking)
    costs = {pid: project.cost for pid, project in election.projects.items()}
    votes, scores = election.votes, election.scores
    measure = scores if election.uses_points else votes
    tie_key = ties.key_function(costs, votes, scores)
    budget = election.budget

    reasons: dict[str, tuple[str, dict[str, Any]]] = {}
    candidates: list[str] = []
    for pid in election.projects:
        if measure[pid] <= 0:
            reasons[pid] = (NO_SUPPORT, {})
        elif threshold is not None and measure[pid] < threshold:
            reasons[pid] = (BELOW_THRESHOLD, {"threshold": threshold, "value": measure[pid]})
        else:
            candidates.append(pid)

    endowment: Fraction | None = None
    runs = 0
    rounds: tuple = ()
    if rule in (GREEDY, GREEDY_NO_SKIP, GREEDY_THRESHOLD):
        walk = greedy(
            candidates, measure=measure, costs=costs, budget=budget, tie_key=tie_key, skip=rule != GREEDY_NO_SKIP
        )
        selected = walk.selected
        spent = walk.spent
        reasons.update(walk.reasons)
        reasons.update({pid: (SELECTED, {}) for pid in selected})
    else:
        options = mes_options or MesOptions(utility=UTILITY_POINTS if election.uses_points else UTILITY_COST)
        problem = compile_problem(election, candidates, options.utility)
        result = equal_shares(problem, options, lambda j: tie_key(problem.ids[j]))
        selected = [problem.ids[j] for j in result.selected]
        spent = problem.money(result.spent)
        endowment, runs, rounds = result.endowment, result.runs, tuple(result.rounds)
        bought_in = {entry.project: entry.number for entry in rounds}
        reasons.update({pid: (SELECTED, {"round": bought_in.get(pid, 0)}) for pid in selected})
        for j, money in result.money_left.items():
            pid = problem.ids[j]
            params = {
                "supporters_money": format_money(money),
                "cost": format_amount(costs[pid]),
                "endowment": format_money(endowment),
            }
            reasons[pid] = (SHARES_INSUFFICIENT, params)
        if rule == MES_ADD1_GREEDY:
            completion_measure = scores if options.utility == UTILITY_POINTS else votes
            chosen = set(selected)
            walk = greedy(
                [pid for pid in candidates if pid not in chosen],
                measure=completion_measure,
                costs=costs,
                budget=budget,
                tie_key=tie_key,
                spent=spent,
            )
            for pid, (code, params) in walk.reasons.items():
                reasons[pid] = (code, {**reasons.get(pid, (None, {}))[1], **params})
            reasons.update({pid: (SELECTED_IN_COMPLETION, {}) for pid in walk.selected})
            selected = selected + walk.selected
            spent = walk.spent

    chosen = set(selected)
    results = {
        pid: ProjectResult(
            id=pid,
            selected=pid in chosen,
            votes=votes[pid],
            score=scores[pid],
            reason_code=reasons[pid][0],
            reason_params=reasons[pid][1],
        )
        for pid in election.projects
    }
    return Outcome(
        rule=rule,
        budget=budget,
        spent=spent,
        selected=tuple(selected),
        results=results,
        tie_breaking=ties.chain,
        threshold=threshold,
        endowment=endowment,
        runs=runs,
        rounds=rounds,
    )
