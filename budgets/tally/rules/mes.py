"""The Method of Equal Shares (MES), with the Add1 completion, in exact integer arithmetic.

One MES run with a per-voter endowment e (Peters, Pierczyński & Skowron 2021; pabutools
`method_of_equal_shares`; equalshares.net):

1. Every voter — every ballot, including ballots that support no candidate — gets e.
2. A supported candidate of cost 0 is bought for free before anything else. A candidate
   that nobody supports is never bought.
3. Each round, for every candidate still in play, find the smallest price ρ such that
   charging each supporter i `min(money_i, ρ · sat_i)` pays the cost exactly; a candidate
   whose supporters hold less than its cost in total is dropped for this run. Buy the
   candidate with the smallest ρ, exact ties broken by the tie-breaking chain
   (`tiebreak.py`), charge its supporters, repeat until no candidate is affordable.

`sat_i` is the utility (pabutools' satisfaction) of supporter i for the candidate:

* `cost` (pabutools `Cost_Sat`, equalshares.net, the pabulib `equalshares*` rules): the
  project's cost for each supporter. Supporters pay equal shares (capped by what they
  have left) and the smallest ρ is the largest *effective vote count*
  (cost ÷ full share), i.e. plain vote count while nobody is short of money.
* `cardinality` (`Cardinality_Sat`): 1 per supporter; equal shares again, but the smallest
  full share wins, which favours cheap projects.
* `points`: the points the ballot gives the project (cumulative: its points; ordinal: L..1
  for a ballot of length L; scoring: positive points only). Supporters pay in proportion
  to their points. This is what `mes-add1` uses on points ballots (as Aarau 2023 did with
  cumulative ballots); `cost` and `cardinality` on points ballots treat every project
  given positive points (or ranked) as approved.

Add1 (`MesOptions`): run MES with endowment e0, e0 + 1, e0 + 2, … (one currency unit per
voter per step):

* `start="floor"`: e0 = ⌊budget ÷ voters⌋, the pabulib `equalshares/add1` rule and the
  equalshares.net tool's "integral" option; `start="exact"`: e0 = budget ÷ voters, as in
  pabutools (`voter_budget_increment=1`).
* `stop="overspend"` (pabulib `equalshares/add1`, Wieliczka 2023, Świecie 2023, Assen
  2024): keep going while the *next* run spends at most the real budget; return the last
  run that did not overspend. When every supported candidate fits in the budget
  together, no run can ever overspend: the outcome is then all of them (computed by one
  run with an endowment large enough for every voter to fund them all alone).
  `stop="exhaustive"` (pabutools): also stop, and keep the current run, as soon as no
  supported candidate left out still fits in the remaining budget.

Exactness and speed: every run is decided in exact arithmetic (`mes_exact.py`: integer
minor units over a common denominator, voters grouped into classes of equal money, one
`numpy.bincount` per price, candidates scanned in order of their previous ρ — a lower
bound, since money only decreases — and the scan stopped once that bound exceeds the
best ρ, §4 of docs/pb-format-and-rules.md). The Add1 runs whose outcome is all that is
needed are first tried in certified floating point (`mes_float.py`), which returns the
exact outcome or gives up (`Ambiguous`: exact ties, amounts equal to the cent), in which
case that run is redone exactly. The kept run is always recomputed exactly, with its
log.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from ..profile import UTILITIES, UTILITY_COST, Problem
from .mes_exact import ExactRun, MesResult
from .mes_float import Ambiguous, NumpyFloatRun, PythonFloatRun

# Below this many (ballot, candidate) pairs plain Python loops beat numpy's per-call overhead.
PYTHON_LOOPS_BELOW = 20_000

START_FLOOR = "floor"
START_EXACT = "exact"
STOP_OVERSPEND = "overspend"
STOP_EXHAUSTIVE = "exhaustive"


@dataclass(frozen=True)
class MesOptions:
    """The MES specification; the defaults are the pabulib `equalshares/add1` rule."""

    utility: str = UTILITY_COST
    start: str = START_FLOOR
    add1: bool = True
    stop: str = STOP_OVERSPEND
    increment: Fraction = Fraction(1)

    def __post_init__(self) -> None:
        if self.utility not in UTILITIES:
            raise ValueError(f"unknown MES utility {self.utility!r}")
        if self.start not in (START_FLOOR, START_EXACT) or self.stop not in (STOP_OVERSPEND, STOP_EXHAUSTIVE):
            raise ValueError("start must be 'floor' or 'exact', stop 'overspend' or 'exhaustive'")


def equal_shares(
    problem: Problem, options: MesOptions, tie_key: Callable[[int], tuple], *, fast: bool = True
) -> MesResult:
    """MES (with Add1 unless `options.add1` is False) on `problem`; `tie_key` orders exact ties.

    `fast=False` decides every Add1 run in exact arithmetic (same outcome, slower).
    """
    if problem.num_voters == 0:
        return MesResult(endowment=Fraction(0), selected=[], spent=0, runs=0)
    budget = Fraction(problem.budget, problem.scale)
    endowment = budget / problem.num_voters
    if options.start == START_FLOOR:
        endowment = Fraction(math.floor(endowment))
    if not options.add1:
        return ExactRun(problem, endowment, options.utility, tie_key, log=True).result()

    supported = [j for j, total in enumerate(problem.utility_total) if total > 0]
    supported_cost = sum(problem.cost[j] for j in supported)
    if options.stop == STOP_OVERSPEND and supported_cost <= problem.budget:
        alone = max(endowment, Fraction(math.ceil(Fraction(supported_cost, problem.scale))))
        return ExactRun(problem, alone, options.utility, tie_key, log=True).result()

    float_run = PythonFloatRun if problem.incidences < PYTHON_LOOPS_BELOW else NumpyFloatRun

    def outcome(endowment: Fraction) -> tuple[list[int], int]:
        nonlocal exact_runs
        if fast:
            try:
                return float_run(problem, endowment, options.utility, tie_key).outcome()
            except Ambiguous:
                pass
        exact_runs += 1
        run = ExactRun(problem, endowment, options.utility, tie_key, log=False).result()
        return run.selected, run.spent

    exact_runs = 0
    selected, spent = outcome(endowment)
    runs = 1
    while not (options.stop == STOP_EXHAUSTIVE and _exhaustive(problem, selected, spent, supported)):
        following = outcome(endowment + options.increment)
        runs += 1
        if following[1] > problem.budget:
            break
        (selected, spent), endowment = following, endowment + options.increment
    # Recompute the kept endowment exactly, with the explanation log (the Add1 runs skip it).
    result = ExactRun(problem, endowment, options.utility, tie_key, log=True).result()
    result.runs, result.exact_runs = runs, exact_runs
    return result


def _exhaustive(problem: Problem, selected: list[int], spent: int, supported: list[int]) -> bool:
    chosen = set(selected)
    left = problem.budget - spent
    return all(problem.cost[j] > left for j in supported if j not in chosen)
