"""Fair selection of a panel: a thin layer over the `sortition-algorithms` library (GPL-3.0).

Inputs are plain tables (the library's CSV format): a quota table with columns
``feature, value, min, max`` and a pool with an ``id`` column, one column per
feature and a ``household`` column (people sharing it may not sit together).

Three algorithms, all with open solvers:

* ``maximin`` (default): the library's column generation, maximising the smallest
  selection probability; ILPs on CBC (python-mip) when installed, else HiGHS.
* ``leximin``: the library's scheme (Flanigan et al., Nature 2021) needs Gurobi for its
  dual LPs; ``find_distribution_leximin_highs`` below solves them on HiGHS instead: a
  warm-started dual simplex inside the column generation, then one interior-point solve
  without crossover to find a "central" dual solution that fixes many probabilities per round.
* ``legacy``: the pre-2020 greedy method, kept for comparison; its probabilities are
  frequencies over repeated runs.

Nothing here touches Django: the management commands, the Celery task and the benchmark
call the same functions.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

from sortition_algorithms import Settings, read_in_features, read_in_people
from sortition_algorithms.committee_generation.common import (
    EPS,
    generate_initial_committees,
    ilp_results_to_committee,
    setup_committee_generation,
)
from sortition_algorithms.committee_generation.legacy import find_random_sample_legacy
from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
from sortition_algorithms.committee_generation.solver import SolverSense, solver_sum
from sortition_algorithms.core import lottery_rounding
from sortition_algorithms.errors import InfeasibleQuotasError, SelectionError, SortitionBaseError
from sortition_algorithms.features import FeatureCollection
from sortition_algorithms.people import People
from sortition_algorithms.utils import set_log_level, set_random_provider

logger = logging.getLogger(__name__)
# The library logs every trial (at WARNING) and solver step (INFO) to stdout, over a thousand lines for the
# demo draw; its results and errors reach us as return values, its run report and exceptions.
set_log_level(logging.ERROR)
logging.getLogger("mip").setLevel(logging.WARNING)

ALGORITHMS = ("maximin", "leximin", "legacy")
ID_COLUMN = "id"
HOUSEHOLD_COLUMN = "household"
LIBRARY_VERSION = version("sortition-algorithms")
# CBC is 2-4x faster than HiGHS on the panel-finding ILPs (library benchmark, docs/BENCHMARKS.md).
DEFAULT_BACKEND = "mip" if importlib.util.find_spec("mip") is not None else "highspy"

Progress = Callable[[int, str], None]


@dataclass
class Distribution:
    """A probability distribution over valid panels and what it means for each person."""

    algorithm: str
    panels: list[frozenset[str]]
    probabilities: list[float]
    marginals: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def minimum(self) -> float:
        return min(self.marginals.values()) if self.marginals else 0.0

    @property
    def maximum(self) -> float:
        return max(self.marginals.values()) if self.marginals else 0.0


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Solvers (CBC, HiGHS) and the library print to file descriptor 1: send that to stderr,
    so that a command's JSON output stays clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _no_progress(percent: int, message: str) -> None:
    return None


class _Reporter:
    """Adapts the library's ProgressReporter protocol to a (percent, message) callback.

    The library reports phases without a global total, so each phase is given a band of
    the bar: warm start 0-40 %, main loop 40-95 %.
    """

    BANDS = {"multiplicative_weights": (0, 40), "maximin_optimization": (40, 95), "leximin_outer": (40, 95)}

    def __init__(self, callback: Progress) -> None:
        self.callback = callback
        self.band = (0, 95)
        self.total: int | None = None
        self.last = -1

    def start_phase(self, name: str, total: int | None = None, *, message: str | None = None) -> None:
        self.band = self.BANDS.get(name, self.band)
        self.total = total
        self._emit(0, message or name)

    def update(self, current: int, *, message: str | None = None) -> None:
        self._emit(current, message or "")

    def end_phase(self) -> None:
        return None

    def _emit(self, current: int, message: str) -> None:
        low, high = self.band
        if self.total:
            percent = low + int((high - low) * min(current, self.total) / self.total)
        else:
            # Convergence loops have no total: creep towards the end of the band.
            percent = low + int((high - low) * (1 - 1 / (1 + current / 20)))
        if percent != self.last:
            self.last = percent
            self.callback(percent, message)


# ------------------------------------------------------------------------------
# Reading tables
# ------------------------------------------------------------------------------
def load_features(rows: Iterable[Mapping[str, Any]], panel_size: int = 0) -> FeatureCollection:
    """Quota rows (feature, value, min, max[, min_flex, max_flex]) → the library's FeatureCollection."""
    rows = [{key: str(value) for key, value in row.items() if key is not None} for row in rows]
    header = list(rows[0].keys()) if rows else ["feature", "value", "min", "max"]
    features, _, _ = read_in_features(header, rows, number_to_select=panel_size)
    return features


def load_people(
    rows: Iterable[Mapping[str, Any]],
    features: FeatureCollection,
    *,
    id_column: str = ID_COLUMN,
    household_columns: Sequence[str] = (HOUSEHOLD_COLUMN,),
) -> People:
    rows = [{key: str(value) for key, value in row.items() if key is not None} for row in rows]
    header = list(rows[0].keys()) if rows else [id_column]
    household_columns = [column for column in household_columns if column in header]
    settings = Settings(
        id_column=id_column,
        columns_to_keep=household_columns,
        check_same_address=bool(household_columns),
        check_same_address_columns=household_columns,
    )
    people, _ = read_in_people(header, rows, features, settings)
    return people


# ------------------------------------------------------------------------------
# Algorithms
# ------------------------------------------------------------------------------
def marginals_of(
    people: Iterable[str], panels: Sequence[frozenset[str]], probabilities: Sequence[float]
) -> dict[str, float]:
    marginals = dict.fromkeys(people, 0.0)
    for panel, probability in zip(panels, probabilities, strict=True):
        for person in panel:
            marginals[person] += probability
    return marginals


def find_distribution(
    features: FeatureCollection,
    people: People,
    panel_size: int,
    *,
    algorithm: str = "maximin",
    household_columns: Sequence[str] = (HOUSEHOLD_COLUMN,),
    backend: str = DEFAULT_BACKEND,
    progress: Progress = _no_progress,
    legacy_runs: int = 200,
) -> Distribution:
    """The fair distribution over panels for `algorithm`; raises InfeasibleQuotasError."""
    household_columns = [c for c in household_columns if c in _columns_of(people)]
    reporter = _Reporter(progress)
    if algorithm == "maximin":
        panels, probabilities, _ = find_distribution_maximin(
            features, people, panel_size, household_columns, backend, progress_reporter=reporter
        )
    elif algorithm == "leximin":
        panels, probabilities = find_distribution_leximin_highs(
            features, people, panel_size, household_columns, backend, progress_reporter=reporter
        )
    elif algorithm == "legacy":
        return legacy_frequencies(
            features, people, panel_size, household_columns=household_columns, runs=legacy_runs, progress=progress
        )
    else:
        raise ValueError(f"Unknown algorithm {algorithm!r}")
    kept = [(frozenset(p), max(0.0, q)) for p, q in zip(panels, probabilities, strict=True) if q > 1e-9]
    total = sum(q for _, q in kept)
    panels = [p for p, _ in kept]
    probabilities = [q / total for _, q in kept]
    progress(100, "done")
    return Distribution(algorithm, panels, probabilities, marginals_of(people, panels, probabilities))


def _columns_of(people: People) -> set[str]:
    for _, data in people.items():
        return set(data.keys())
    return set()


def legacy_frequencies(
    features: FeatureCollection,
    people: People,
    panel_size: int,
    *,
    household_columns: Sequence[str] = (HOUSEHOLD_COLUMN,),
    runs: int = 200,
    seed: int | None = None,
    progress: Progress = _no_progress,
) -> Distribution:
    """Run the legacy greedy method `runs` times; each panel is equally likely, frequencies estimate probabilities."""
    household_columns = [c for c in household_columns if c in _columns_of(people)]
    set_random_provider(seed or random.SystemRandom().randrange(1, 2**31))
    panels: list[frozenset[str]] = []
    try:
        failures = 0
        for run in range(runs):
            try:
                found, _ = find_random_sample_legacy(people, features, panel_size, household_columns, max_attempts=10)
            except SortitionBaseError:
                # The greedy method can paint itself into a corner where the fair ones do not.
                failures += 1
                continue
            panels.append(frozenset(found[0]))
            progress(int(100 * (run + 1) / runs), f"legacy run {run + 1}/{runs}")
    finally:
        set_random_provider(None)
    if not panels:
        raise SelectionError("The legacy method found no panel.")
    probabilities = [1 / len(panels)] * len(panels)
    return Distribution(
        "legacy",
        panels,
        probabilities,
        marginals_of(people, panels, probabilities),
        notes=[f"{runs} runs", f"{failures} failed"],
    )


def find_distribution_leximin_highs(
    features: FeatureCollection,
    people: People,
    panel_size: int,
    household_columns: Sequence[str],
    backend: str = DEFAULT_BACKEND,
    *,
    progress_reporter: Any = None,
    warm_start_rounds: int | None = None,
    inner: str = "simplex",
    prune_every: int = 100,
) -> tuple[list[frozenset[str]], list[float]]:
    """Leximin (maximise the smallest probability, then the next smallest...) with HiGHS only.

    Each stage maximises the smallest probability among the people not yet fixed, keeping
    the fixed ones, over the panels found so far (a primal LP, one column per panel):

        maximise  z
        s.t.      Σ_{P∋i} x_P ≥ z      for i not fixed
                  Σ_{P∋i} x_P ≥ p_i    for i fixed
                  Σ_P x_P ≤ 1,   x ≥ 0

    Its duals y_i price panels: column generation adds the panel maximising Σ_{i∈P} y_i (an
    ILP) while that exceeds the dual of Σ x_P ≤ 1. Adding a column keeps the basis primal
    feasible, so each re-solve is a short warm-started primal simplex (the library solves the
    dual LP with Gurobi instead; on HiGHS adding rows to that dual re-solves far slower).
    At the end of a stage an interior-point solve without crossover on a copy gives a
    strictly complementary dual: every unfixed person with y_i > 0 has the stage's value in
    every optimal solution and is fixed (Flanigan et al., Nature 2021, Methods). If rounding
    makes the fixed probabilities unattainable, they are all lowered by 0.0001, as in the library.
    """
    import highspy
    import numpy as np

    reporter = progress_reporter
    ids = list(people)
    index = {person: i for i, person in enumerate(ids)}
    n = len(ids)
    inf = highspy.kHighsInf
    ilp, agent_vars = setup_committee_generation(features, people, panel_size, list(household_columns), backend)
    rounds = warm_start_rounds if warm_start_rounds is not None else min(n, 300)
    initial, _, _ = generate_initial_committees(ilp, agent_vars, rounds, progress_reporter=reporter)
    committees: list[frozenset[str]] = []
    known: set[frozenset[str]] = set()
    fixed: dict[str, float] = {}

    lp = highspy.Highs()
    lp.setOptionValue("output_flag", False)
    if inner == "ipm":
        # Central (interior-point) duals stabilise the column generation, and an interior-point
        # solve costs about the same whatever the basis: on large pools this beats simplex
        # re-solves, whose degenerate pivots grow with the number of panels.
        lp.setOptionValue("solver", "ipm")
        lp.setOptionValue("run_crossover", "off")
    else:
        lp.setOptionValue("solver", "simplex")
        # Presolve would rebuild the problem at every run and throw the warm basis away.
        lp.setOptionValue("presolve", "off")
        # After a column is added the basis stays primal feasible: primal simplex re-solves in far
        # fewer iterations than the default dual simplex on this very degenerate LP.
        lp.setOptionValue("simplex_strategy", 4)
    lp.changeObjectiveSense(highspy.ObjSense.kMaximize)
    # column 0: z; rows 0..n-1: people; row n: Σ x_P ≤ 1
    lp.addVar(0.0, 1.0)
    lp.changeColCost(0, 1.0)
    for _i in range(n):
        lp.addRow(0.0, inf, 1, np.array([0], dtype=np.int32), np.array([-1.0]))
    lp.addRow(-inf, 1.0, 0, np.array([], dtype=np.int32), np.array([]))

    in_lp: list[frozenset[str]] = []  # column j + 1 of the LP (column 0 is z)
    pruned: set[frozenset[str]] = set()

    def add_panel(panel: frozenset[str]) -> None:
        if panel not in known:
            committees.append(panel)
            known.add(panel)
        in_lp.append(panel)
        rows = np.array(sorted(index[p] for p in panel) + [n], dtype=np.int32)
        lp.addCol(0.0, 0.0, inf, len(rows), rows, np.ones(len(rows)))

    def prune() -> None:
        """Drop the panels unused by the current solution from the LP: the degenerate simplex slows
        down as panels pile up, and pricing brings back any panel that is needed again."""
        values = np.asarray(lp.getSolution().col_value)[1:]
        # A panel is dropped at most once per stage, so pricing cannot cycle by bringing it back.
        unused = [j for j, value in enumerate(values) if value <= 1e-12 and in_lp[j] not in pruned]
        if len(unused) < prune_every:
            return
        pruned.update(in_lp[j] for j in unused)
        lp.deleteCols(len(unused), np.array([j + 1 for j in unused], dtype=np.int32))
        dropped = set(unused)
        in_lp[:] = [panel for j, panel in enumerate(in_lp) if j not in dropped]

    for panel in initial:
        add_panel(frozenset(panel))

    def duals(model: Any) -> tuple[Any, float]:
        row_dual = np.abs(np.asarray(model.getSolution().row_dual))
        return row_dual[:n], float(row_dual[n])

    def optimal(model: Any) -> bool:
        model.run()
        return model.getModelStatus() == highspy.HighsModelStatus.kOptimal

    if reporter is not None:
        reporter.start_phase("leximin_outer", total=n, message=f"Fixing probabilities ({n} people)")
    timing = {"lp": 0.0, "ilp": 0.0, "iterations": 0}

    def price(y: Any, cap: float) -> frozenset[str] | None:
        """The panel whose dual constraint Σ_{i∈P} y_i ≤ cap is most violated, if any is."""
        weights = {p: float(y[index[p]]) for p in ids if y[index[p]] > 1e-12}
        ilp.set_objective(solver_sum(w * agent_vars[p] for p, w in weights.items()), SolverSense.MAXIMIZE)
        started = time.perf_counter()
        ilp.optimize()
        timing["ilp"] += time.perf_counter() - started
        timing["iterations"] += 1
        if ilp.get_objective_value() <= cap + EPS:
            return None
        # CBC keeps the other improving panels it met on the way: one LP re-solve prices them all.
        for extra in _other_solutions(ilp, agent_vars, ids):
            if extra not in in_lp and sum(weights.get(p, 0.0) for p in extra) > cap + EPS:
                add_panel(extra)
        return ilp_results_to_committee(ilp, agent_vars)

    def central_duals() -> tuple[Any, float] | None:
        central = highspy.Highs()
        central.setOptionValue("output_flag", False)
        central.passModel(lp.getLp())
        central.setOptionValue("solver", "ipm")
        central.setOptionValue("run_crossover", "off")
        return duals(central) if optimal(central) else None

    while len(fixed) < n:
        pruned.clear()
        while True:
            started = time.perf_counter()
            solved = optimal(lp)
            timing["lp"] += time.perf_counter() - started
            if not solved:
                for person in fixed:
                    fixed[person] = max(0.0, fixed[person] - 0.0001)
                    lp.changeRowBounds(index[person], fixed[person], inf)
                continue
            y, cap = duals(lp)
            if timing["iterations"] % 50 == 0:
                logger.debug(
                    "leximin: %d fixed, %d panels, %d in LP, %s", len(fixed), len(committees), len(in_lp), timing
                )
            panel = price(y, cap)
            if panel is None or panel in in_lp:
                # The panels found support the optimum. A central dual solution tells whom to fix,
                # but only if no panel violates it either (it may differ from the simplex one).
                central = central_duals()
                if central is None:
                    break
                y, cap = central
                panel = price(y, cap)
                if panel is None or panel in in_lp:
                    break
            add_panel(panel)
            if prune_every and timing["iterations"] % prune_every == 0:
                prune()
        value = max(0.0, lp.getInfo().objective_function_value)
        newly = [p for p in ids if p not in fixed and y[index[p]] > EPS]
        if not newly:
            # Degenerate central solution: fix the heaviest unfixed person, always progress.
            newly = [max((p for p in ids if p not in fixed), key=lambda p: y[index[p]])]
        for person in newly:
            fixed[person] = value
            lp.changeCoeff(index[person], 0, 0.0)
            lp.changeRowBounds(index[person], value, inf)
        if reporter is not None:
            reporter.update(len(fixed), message=f"Fixed {len(fixed)}/{n} probabilities")

    probabilities = _leximin_primal(set(committees), fixed)
    return list(set(committees)), probabilities


def _other_solutions(
    ilp: Any, agent_vars: Mapping[str, Any], ids: Sequence[str], limit: int = 8
) -> list[frozenset[str]]:
    """The further feasible panels in python-mip's solution pool (none with the HiGHS backend)."""
    model = getattr(ilp, "_model", None)
    count = getattr(model, "num_solutions", 0) or 0
    panels = []
    for k in range(1, min(count, limit + 1)):
        try:
            panels.append(frozenset(p for p in ids if (agent_vars[p].xi(k) or 0) > 0.5))
        except (AttributeError, TypeError, IndexError):
            break
    return panels


def _leximin_primal(committees: set[frozenset[str]], fixed: dict[str, float]) -> list[float]:
    """Probabilities of the panels that give everyone their fixed probability (minimising the shortfall)."""
    import highspy
    import numpy as np

    panels = list(committees)
    people = list(fixed)
    index = {person: i for i, person in enumerate(people)}
    m = len(panels)
    lp = highspy.Highs()
    lp.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    # columns 0..m-1: x_P; column m: eps
    lp.addVars(m + 1, np.zeros(m + 1), np.full(m + 1, inf))
    costs = np.zeros(m + 1)
    costs[m] = 1.0
    lp.changeColsCost(m + 1, np.arange(m + 1, dtype=np.int32), costs)
    lp.addRow(1.0, 1.0, m, np.arange(m, dtype=np.int32), np.ones(m))
    members: list[list[int]] = [[] for _ in people]
    for j, panel in enumerate(panels):
        for person in panel:
            members[index[person]].append(j)
    for person, cols in zip(people, members, strict=True):
        # Σ_{P∋i} x_P + eps ≥ p_i
        lp.addRow(fixed[person], inf, len(cols) + 1, np.array([*cols, m], dtype=np.int32), np.ones(len(cols) + 1))
    lp.run()
    values = np.clip(np.asarray(lp.getSolution().col_value[:m]), 0, 1)
    return list(values / values.sum())


# ------------------------------------------------------------------------------
# Rounding to m equally likely panels (a transparent lottery)
# ------------------------------------------------------------------------------
def round_to_lottery(distribution: Distribution, size: int, *, seed: int) -> list[list[str]]:
    """Round the distribution to `size` equally likely panels (pipage rounding, library code).

    Seeded so that anyone can recompute the list from the published distribution; the
    seed is derived from the published commitment, fixed before anyone knows the outcome.
    Legacy runs are already equally likely: they are used as they are.
    """
    if distribution.algorithm == "legacy":
        panels = [sorted(p) for p in distribution.panels]
        return (panels * (size // len(panels) + 1))[:size]
    set_random_provider(seed)
    try:
        lottery = lottery_rounding(distribution.panels, distribution.probabilities, size)
    finally:
        set_random_provider(None)
    return [sorted(panel) for panel in lottery]


__all__ = [
    "ALGORITHMS",
    "DEFAULT_BACKEND",
    "LIBRARY_VERSION",
    "Distribution",
    "InfeasibleQuotasError",
    "SelectionError",
    "find_distribution",
    "legacy_frequencies",
    "load_features",
    "load_people",
    "round_to_lottery",
]
