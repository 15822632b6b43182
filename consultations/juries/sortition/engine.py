"""Fair selection of a panel: a thin layer over the `sortition-algorithms` library (GPL-3.0).

Inputs are plain tables (the library's CSV format): a quota table with columns
``feature, value, min, max`` and a pool with an ``id`` column, one column per
feature and a ``household`` column (people sharing it may not sit together).

Three algorithms, all with open solvers:

* ``maximin`` (default): the library's column generation, maximising the smallest
  selection probability; ILPs on CBC (python-mip) when installed, else HiGHS.
* ``leximin``: the library's scheme (Flanigan et al., Nature 2021) needs Gurobi for its
  dual LPs; ``find_distribution_leximin_highs`` below runs it on open solvers instead, over
  types of interchangeable people (same features, no housemate): LPs on HiGHS (warm-started
  primal simplex, then one interior-point solve without crossover for a "central" dual that
  fixes many probabilities per round), panel-finding ILPs over types on CBC.
* ``legacy``: the pre-2020 greedy method, kept for comparison; its probabilities are
  frequencies over repeated runs.

Nothing here touches Django: the management commands, the Celery task and the benchmark
call the same functions.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
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
from sortition_algorithms.committee_generation.common import EPS, EPS2, setup_committee_generation
from sortition_algorithms.committee_generation.legacy import find_random_sample_legacy
from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
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


@dataclass
class _Types:
    """People grouped into types: same value on every feature and no housemate in the pool.

    Swapping two such people maps valid panels to valid panels, so the (unique) leximin vector gives
    them the same probability and the LP only needs one row per type; a person with a housemate in
    the pool is a type of their own. A panel becomes a composition: how many of each type it seats.
    """

    members: list[list[str]]  # type → its people, sorted
    values: list[tuple[str, ...]]  # type → its value of each feature (lower case)
    households: list[list[int]]  # groups of (singleton) types of which a panel seats at most one

    @property
    def sizes(self) -> list[int]:
        return [len(m) for m in self.members]


def _group_types(features: FeatureCollection, people: People, household_columns: Sequence[str]) -> _Types:
    names = list(features.keys())
    in_household: dict[str, int] = {}
    if household_columns:
        groups = [h for h in people.households(list(household_columns)).values() if len(h) > 1]
        for number, housemates in enumerate(groups):
            for person in housemates:
                in_household[person] = number
    by_key: dict[tuple[str, ...], list[str]] = {}
    members: list[list[str]] = []
    values: list[tuple[str, ...]] = []
    household_types: dict[int, list[int]] = {}
    for person, data in sorted(people.items()):
        key = tuple(str(data[name]).lower() for name in names)
        if person in in_household:
            household_types.setdefault(in_household[person], []).append(len(members))
            members.append([person])
            values.append(key)
        elif key in by_key:
            by_key[key].append(person)
        else:
            by_key[key] = [person]
            members.append(by_key[key])
            values.append(key)
    return _Types(members, values, list(household_types.values()))


class _Pricing:
    """The panel-finding ILP over types, on HiGHS: c_t ∈ {0..n_t} seats for type t, Σ c_t = k,
    quotas per feature value, at most one seat per household. The model is built once; each call
    only changes the objective."""

    def __init__(self, features: FeatureCollection, types: _Types, panel_size: int, time_limit: float) -> None:
        import highspy
        import numpy as np

        self.np = np
        self.highspy = highspy
        self.size = panel_size
        sizes = types.sizes
        self.count = count = len(sizes)
        model = self.model = highspy.Highs()
        model.setOptionValue("output_flag", False)
        model.setOptionValue("mip_rel_gap", 1e-6)
        model.setOptionValue("time_limit", time_limit)
        model.setOptionValue("threads", 1)
        model.addVars(count, np.zeros(count), np.array(sizes, dtype=float))
        model.changeColsIntegrality(
            count, np.arange(count, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * count)
        )
        model.addRow(panel_size, panel_size, count, np.arange(count, dtype=np.int32), np.ones(count))
        for position, feature_values in enumerate(features.values()):
            for value, minmax in feature_values.items():
                cols = [t for t in range(count) if types.values[t][position] == value.lower()]
                model.addRow(minmax.min, minmax.max, len(cols), np.array(cols, dtype=np.int32), np.ones(len(cols)))
        for group in types.households:
            model.addRow(-highspy.kHighsInf, 1, len(group), np.array(group, dtype=np.int32), np.ones(len(group)))
        model.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.found: list[Any] = []
        self.threshold = highspy.kHighsInf
        model.cbMipImprovingSolution.subscribe(self._keep)
        model.cbMipInterrupt.subscribe(self._check)
        self.early = False
        self.seconds = 0.0
        self.calls = 0
        self.times: list[float] = []

    def _keep(self, event: Any) -> None:
        if event.data_out.objective_function_value > self.threshold:
            self.found.append(self.np.rint(self.np.asarray(event.data_out.mip_solution)).astype(int))

    def _check(self, event: Any) -> None:
        # Any composition above the threshold is an improving column: no need to prove it the best.
        # And once the bound shows none exists, the search can stop.
        # The flag persists from one run to the next: set it every time.
        event.interrupt(bool((self.early and self.found) or event.data_out.mip_dual_bound <= self.threshold))

    def best(self, weights: Any, threshold: float, *, early: bool = False) -> list[Any]:
        """Compositions weighing more than threshold met by the search (best last); with `early`, stop at
        the first one found."""
        np = self.np
        self.model.changeColsCost(self.count, np.arange(self.count, dtype=np.int32), np.asarray(weights, dtype=float))
        self.found = []
        self.threshold = threshold
        self.early = early
        started = time.process_time()
        self.model.run()
        self.seconds += time.process_time() - started
        self.times.append(time.process_time() - started)
        self.calls += 1
        status = self.model.getModelStatus()
        if status == self.highspy.HighsModelStatus.kInfeasible:
            raise SelectionError("No panel meets every quota.")
        if status == self.highspy.HighsModelStatus.kOptimal:
            best = np.rint(np.asarray(self.model.getSolution().col_value)).astype(int)
            if self.model.getInfo().objective_function_value > threshold and not any(
                np.array_equal(c, best) for c in self.found
            ):
                self.found.append(best)
        return self.found


class _PricingCBC:
    """The same ILP on CBC (python-mip), 3-6x faster than HiGHS on it (measured on synth_1200)."""

    def __init__(self, features: FeatureCollection, types: _Types, panel_size: int, time_limit: float) -> None:
        import mip
        import numpy as np

        self.np = np
        self.mip = mip
        self.time_limit = time_limit
        sizes = types.sizes
        model = self.model = mip.Model(sense=mip.MAXIMIZE, solver_name=mip.CBC)
        model.verbose = 0
        model.threads = 1
        self.vars = [model.add_var(var_type=mip.INTEGER, lb=0, ub=size) for size in sizes]
        model += mip.xsum(self.vars) == panel_size
        for position, feature_values in enumerate(features.values()):
            for value, minmax in feature_values.items():
                seats = mip.xsum(
                    v for v, key in zip(self.vars, types.values, strict=True) if key[position] == value.lower()
                )
                model += seats >= minmax.min
                model += seats <= minmax.max
        for group in types.households:
            model += mip.xsum(self.vars[t] for t in group) <= 1
        self.seconds = 0.0
        self.calls = 0
        self.times: list[float] = []

    def best(self, weights: Any, threshold: float, *, early: bool = False) -> list[Any]:
        np = self.np
        self.model.objective = (
            self.mip.xsum(float(w) * v for w, v in zip(weights, self.vars, strict=True) if w > 1e-12)
            if np.any(np.asarray(weights) > 1e-12)
            else self.mip.xsum(self.vars)
        )
        started = time.process_time()
        status = self.model.optimize(max_seconds=self.time_limit)
        elapsed = time.process_time() - started
        self.seconds += elapsed
        self.times.append(elapsed)
        self.calls += 1
        if status == self.mip.OptimizationStatus.INFEASIBLE:
            raise SelectionError("No panel meets every quota.")
        found = []
        for k in range(self.model.num_solutions):
            composition = np.rint([v.xi(k) or 0.0 for v in self.vars]).astype(int)
            if float(np.dot(weights, composition)) > threshold and not any(
                np.array_equal(composition, c) for c in found
            ):
                found.append(composition)
        found.reverse()  # best last
        return found


class _Neighbours:
    """Panels one seat away from a given one (a seat of type a goes to type b), quotas and households
    permitting. The neighbours of the ILP's best panel that still price above the cap are improving
    columns too: adding a dozen of them per ILP lets the LP balance many types at once, where one
    column per iteration makes the later stages crawl."""

    def __init__(self, features: FeatureCollection, types: _Types) -> None:
        import numpy as np

        self.np = np
        low, high, values = [], [], []
        for position, feature_values in enumerate(features.values()):
            index = {}
            for value, minmax in feature_values.items():
                index[value.lower()] = len(low)
                low.append(minmax.min)
                high.append(minmax.max)
            values.append([index[key[position]] for key in types.values])
        self.low = np.array(low)
        self.high = np.array(high)
        self.values = np.array(values, dtype=np.int64).T  # type × feature → value index
        m = len(types.members)
        self.incidence = np.zeros((m, len(low)))
        for f in range(self.values.shape[1]):
            self.incidence[np.arange(m), self.values[:, f]] = 1.0
        self.sizes = np.array(types.sizes)
        self.housemates = [[] for _ in range(m)]
        for group in types.households:
            for t in group:
                self.housemates[t] = [u for u in group if u != t]

    def around(self, c: Any, y: Any, threshold: float, limit: int) -> list[Any]:
        """Up to `limit` neighbours of c weighing more than threshold under y, heaviest first, each
        moving a seat to a different type."""
        np = self.np
        base = float(y @ c)
        seated = np.flatnonzero(c > 0)
        free = np.flatnonzero(c < self.sizes)
        free = free[y[free] > threshold - base + y[seated].min()]
        if not len(free) or not len(seated):
            return []
        counts = c @ self.incidence
        down = counts > self.low
        up = counts < self.high
        va = self.values[seated]
        vb = self.values[free]
        ok = np.all((va[:, None, :] == vb[None, :, :]) | (down[va][:, None, :] & up[vb][None, :, :]), axis=2)
        gain = np.where(ok, y[free][None, :] - y[seated][:, None], -np.inf)
        result = []
        used: set[int] = set()
        for flat in np.argsort(-gain, axis=None):
            a, b = np.unravel_index(flat, gain.shape)
            if base + gain[a, b] <= threshold or len(result) >= limit:
                break
            if free[b] in used or any(c[h] > 0 and h != seated[a] for h in self.housemates[free[b]]):
                continue
            used.add(int(free[b]))
            neighbour = c.copy()
            neighbour[seated[a]] -= 1
            neighbour[free[b]] += 1
            result.append(neighbour)
        return result


def find_distribution_leximin_highs(
    features: FeatureCollection,
    people: People,
    panel_size: int,
    household_columns: Sequence[str],
    backend: str = DEFAULT_BACKEND,
    *,
    progress_reporter: Any = None,
    warm_start_rounds: int = 60,
    stats: dict[str, Any] | None = None,
    early: bool = True,
    inner: str = "simplex",
    alpha: float = 0.7,
    neighbours_per_panel: int = 10,
    prune: bool = True,
    batch: bool = False,
) -> tuple[list[frozenset[str]], list[float]]:
    """Leximin (maximise the smallest probability, then the next smallest...) with open solvers only.

    People are first grouped into types (`_Types`): equal features and no housemate. Leximin gives
    everyone in a type the same probability, so each stage is an LP over panel compositions (how many
    seats each type gets), with one row per type instead of one per person:

        maximise  z
        s.t.      Σ_K c_t(K) x_K ≥ n_t z       for each type t not fixed
                  Σ_K c_t(K) x_K ≥ n_t p_t     for each type t fixed
                  Σ_K x_K ≤ 1,   x ≥ 0

    Its duals y_t (per person of the type) price compositions: column generation adds compositions
    with Σ_t c_t y_t above the dual of Σ x_K ≤ 1, found by a small ILP over types, built once (CBC,
    `_PricingCBC`; HiGHS `_Pricing` without python-mip). Three measures against the tailing-off that
    made stages after the first take hundreds of iterations: the ILP is solved at a smoothed dual
    (Wentges, `alpha`), the one-seat neighbours of its panel that still price positive are added too
    (`neighbours_per_panel`), and panels unused at the end of a stage (or the lowest-priced nonbasic
    ones when a stage piles up more than 3 per type) are dropped (`prune`). Adding columns keeps the
    basis primal feasible, so re-solves are warm-started primal simplex. At the end of a stage, an
    interior-point solve without crossover on a copy gives a strictly complementary dual: every
    unfixed type with y_t > EPS has the stage's value in every optimal solution and is fixed
    (Flanigan et al., Nature 2021, Methods, as in the library). If rounding makes the fixed
    probabilities unattainable, they are all lowered by 0.0001, as in the library.

    Finally each composition is spread over actual people (`_expand`) so that everyone in a type
    gets exactly the type's probability.
    """
    import highspy
    import numpy as np

    # The library's agent-level ILP checks feasibility and explains infeasible quotas, as for maximin.
    setup_committee_generation(features, people, panel_size, list(household_columns), backend)
    cpu_started = time.process_time()
    reporter = progress_reporter
    types = _group_types(features, people, household_columns)
    sizes = np.array(types.sizes, dtype=float)
    m = len(sizes)
    n = int(sizes.sum())
    inf = highspy.kHighsInf
    pricing = (_PricingCBC if backend == "mip" else _Pricing)(features, types, panel_size, time_limit=60.0)
    timing = {"types": m, "lp": 0.0, "central": 0.0, "iterations": 0, "stages": 0}

    lp = highspy.Highs()
    lp.setOptionValue("output_flag", False)
    if inner == "ipm":
        # Central duals (interior point, no crossover) at every iteration. Kept for comparison: on
        # synth_1200 it needed as many iterations as simplex, each solve several times slower.
        lp.setOptionValue("solver", "ipm")
        lp.setOptionValue("run_crossover", "off")
    else:
        lp.setOptionValue("solver", "simplex")
        lp.setOptionValue("presolve", "off")
        lp.setOptionValue("simplex_strategy", 4)  # primal: adding columns keeps the basis primal feasible
    lp.changeObjectiveSense(highspy.ObjSense.kMaximize)
    # column 0: z; rows 0..m-1: types; row m: Σ x_K ≤ 1
    lp.addVar(0.0, 1.0)
    lp.changeColCost(0, 1.0)
    for t in range(m):
        lp.addRow(0.0, inf, 1, np.array([0], dtype=np.int32), np.array([-sizes[t]]))
    lp.addRow(-inf, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
    columns: list[Any] = []
    known: set[bytes] = set()

    def add(composition: Any) -> bool:
        key = composition.astype(np.int16).tobytes()
        if key in known:
            return False
        known.add(key)
        columns.append(composition)
        rows = np.flatnonzero(composition)
        lp.addCol(
            0.0,
            0.0,
            inf,
            len(rows) + 1,
            np.append(rows, m).astype(np.int32),
            np.append(composition[rows].astype(float), 1.0),
        )
        return True

    # Warm start: panels favouring the types seldom seated so far (multiplicative weights, as the library).
    weights = np.ones(m)
    for _ in range(warm_start_rounds):
        composition = pricing.best(weights, -inf)[-1]
        add(composition)
        weights *= np.where(composition > 0, 0.8 ** (composition / sizes), 1.0)
        weights *= m / weights.sum()
    for t in np.flatnonzero(~np.isin(np.arange(m), np.flatnonzero(sum(columns)))):
        # Make sure every type that can sit does sit in some panel (else its stage-1 value is 0 anyway).
        target = np.zeros(m)
        target[t] = 1.0
        add(pricing.best(target, -inf)[-1])

    logger.debug("warm start: %d panels, %.1f s", len(columns), pricing.seconds)

    def solve() -> bool:
        started = time.process_time()
        lp.run()
        timing["lp"] += time.process_time() - started
        return lp.getModelStatus() == highspy.HighsModelStatus.kOptimal

    def duals(model: Any) -> tuple[Any, float]:
        row_dual = np.abs(np.asarray(model.getSolution().row_dual))
        return row_dual[:m], float(row_dual[m])

    def central_duals() -> tuple[Any, float] | None:
        started = time.process_time()
        central = highspy.Highs()
        central.setOptionValue("output_flag", False)
        central.passModel(lp.getLp())
        central.setOptionValue("solver", "ipm")
        central.setOptionValue("run_crossover", "off")
        central.run()
        timing["central"] += time.process_time() - started
        if central.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return duals(central)

    def price(y: Any, cap: float) -> int:
        """Add the compositions that the duals y price above cap; 0 if none does.

        Wentges smoothing: the ILP is first solved at a mix of y and the best dual found so far in the
        stage (by its Lagrangian bound); columns from there stop the simplex duals' zigzag that makes
        stages tail off for hundreds of iterations. If they do not improve the LP, price y itself."""
        nonlocal center, best_bound
        timing["iterations"] += 1
        added = 0
        for weights in ([alpha * center + (1 - alpha) * y] if center is not None and alpha else []) + [y]:
            found = pricing.best(weights, -inf)
            if found:
                bound = float(weights @ found[-1]) - float(weights[fixed] @ (sizes[fixed] * level[fixed]))
                if bound < best_bound:
                    best_bound, center = bound, weights
            added += sum(add(c) for c in found if float(y @ c) > cap + EPS2 * 100)
            if found and neighbours_per_panel:
                added += sum(add(c) for c in near.around(found[-1], y, cap + EPS2 * 100, neighbours_per_panel))
            if added and not batch:
                return added
        # A re-solve costs about the same for 10 or 50 new columns (degenerate pivots): price both.
        return added

    def drop_nonbasic(keep: int) -> None:
        """Drop the nonbasic panels priced lowest by the current duals, down to `keep` panels: a re-solve
        of this degenerate LP slows down with every column, and pricing brings back any that is needed."""
        status = lp.getBasis().col_status[1:]
        reduced = np.asarray(lp.getSolution().col_dual)[1:]
        nonbasic = np.array([s != highspy.HighsBasisStatus.kBasic for s in status])
        candidates = np.flatnonzero(nonbasic)
        unused = np.sort(candidates[np.argsort(-np.abs(reduced[candidates]))][: max(0, len(columns) - keep)])
        if not len(unused):
            return
        lp.deleteCols(len(unused), (unused + 1).astype(np.int32))
        dropped = set(unused.tolist())
        for j in unused:
            known.discard(columns[j].astype(np.int16).tobytes())
        columns[:] = [c for j, c in enumerate(columns) if j not in dropped]
        timing["dropped"] = timing.get("dropped", 0) + len(unused)

    center: Any = None
    best_bound = inf
    near = _Neighbours(features, types)
    fixed = np.zeros(m, dtype=bool)
    level = np.zeros(m)
    if reporter is not None:
        reporter.start_phase("leximin_outer", total=n, message=f"Fixing probabilities ({n} people)")
    while not fixed.all():
        timing["stages"] += 1
        center, best_bound = None, inf
        while True:
            if not solve():
                center, best_bound = None, inf
                level[fixed] = np.maximum(0.0, level[fixed] - 0.0001)
                for t in np.flatnonzero(fixed):
                    lp.changeRowBounds(int(t), sizes[t] * level[t], inf)
                continue
            y, cap = duals(lp)
            if timing["iterations"] % 20 == 0:
                logger.debug(
                    "leximin: %d types fixed, z=%.6f, %d panels, %s",
                    fixed.sum(),
                    lp.getInfo().objective_function_value,
                    len(columns),
                    timing,
                )
            if prune and len(columns) > 3 * m:
                drop_nonbasic(keep=int(1.5 * m))
            if center is not None and best_bound - lp.getInfo().objective_function_value < 1e-10:
                pass  # the stage's optimum is reached: go and see whom to fix
            elif price(y, cap):
                continue
            if inner == "ipm":
                break
            # The panels found support the optimum. A central dual solution tells whom to fix,
            # but only if no panel violates it either (it may differ from the simplex one).
            central = central_duals()
            if central is None:
                break
            y, cap = central
            # The central solution is not the LP's basic one: no panel of it is a valid start for swaps.
            if not price(y, cap):
                break
        value = max(0.0, lp.getInfo().objective_function_value)
        newly = np.flatnonzero(~fixed & (y > EPS))
        if not len(newly):
            # Degenerate central solution: fix the heaviest unfixed type, always progress.
            newly = [int(np.argmax(np.where(fixed, -1.0, y)))]
        for t in newly:
            fixed[t] = True
            level[t] = value
            lp.changeCoeff(int(t), 0, 0.0)
            lp.changeRowBounds(int(t), sizes[t] * value, inf)
        if prune:
            # Panels unused at the end of a stage only slow the next stages' LPs down; pricing brings
            # back any that is needed again.
            used = np.asarray(lp.getSolution().col_value)[1:] > 1e-12
            if len(columns) > 2 * m and used.sum() < 0.7 * len(columns):
                unused = np.flatnonzero(~used)
                lp.deleteCols(len(unused), (unused + 1).astype(np.int32))
                for j in unused:
                    known.discard(columns[j].astype(np.int16).tobytes())
                columns[:] = [c for c, keep in zip(columns, used, strict=True) if keep]
        logger.debug(
            "pricing: %d calls, %.1f s, max %.2f s", len(pricing.times), sum(pricing.times), max(pricing.times)
        )
        pricing.times = []
        logger.debug("leximin: %d/%d types fixed at %.5f, %d panels, %s", fixed.sum(), m, value, len(columns), timing)
        if reporter is not None:
            reporter.update(int(sizes[fixed].sum()), message=f"Fixed {int(sizes[fixed].sum())}/{n} probabilities")

    # A vertex of the last LP: few panels in the support.
    lp.setOptionValue("solver", "simplex")
    lp.setOptionValue("run_crossover", "on")
    for _ in range(100):
        if solve():
            break
        # Interior-point values may overshoot what the panels allow by a hair: lower all fixed values.
        level[fixed] = np.maximum(0.0, level[fixed] - 1e-7)
        for t in np.flatnonzero(fixed):
            lp.changeRowBounds(int(t), sizes[t] * level[t], inf)
    solution = np.clip(np.asarray(lp.getSolution().col_value)[1:], 0.0, None)
    timing["panels"] = int((solution > 1e-9).sum())
    timing["pricing"] = pricing.seconds
    timing["pricing_calls"] = pricing.calls
    timing["cpu"] = time.process_time() - cpu_started
    if stats is not None:
        stats.update(timing)
    logger.debug("leximin done: %s", timing)
    return _expand(types, [(columns[j], float(solution[j])) for j in np.flatnonzero(solution > 1e-9)])


def _expand(types: _Types, compositions: Sequence[tuple[Any, float]]) -> tuple[list[frozenset[str]], list[float]]:
    """Spread compositions over people so that everyone in a type is seated equally often.

    A composition seating c of a type's n people is split into n equally likely panels: the j-th seats
    the c people from position j·c on (cyclically), so each person sits in exactly c of the n. Types of
    different sizes are split together along the common refinement of their grids {j/n}, which has only
    as many pieces as there are distinct fractions with the types' sizes as denominators.
    """
    from fractions import Fraction

    panels: dict[frozenset[str], float] = {}
    for composition, probability in compositions:
        partial = [(t, int(c)) for t, c in enumerate(composition) if 0 < c < len(types.members[t])]
        whole = [p for t, c in enumerate(composition) if c and c == len(types.members[t]) for p in types.members[t]]
        cuts = sorted({Fraction(j, len(types.members[t])) for t, _ in partial for j in range(len(types.members[t]))})
        cuts = [*(cuts or [Fraction(0)]), Fraction(1)]
        for low, high in itertools.pairwise(cuts):
            middle = (low + high) / 2
            panel = list(whole)
            for t, c in partial:
                group = types.members[t]
                start = int(middle * len(group)) * c
                panel.extend(group[(start + r) % len(group)] for r in range(c))
            key = frozenset(panel)
            panels[key] = panels.get(key, 0.0) + probability * float(high - low)
    total = sum(panels.values())
    return list(panels), [q / total for q in panels.values()]


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
