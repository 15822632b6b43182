"""The election compiled for MES: integer money and per-project supporter arrays.

* Money is counted in integer minor units: every cost and the budget are multiplied by
  `scale`, the least common multiple of their denominators (100 for amounts with cents),
  so sums and comparisons are exact integer operations.
* Ballots are restricted to the candidate projects (and, for utilities, to positive
  utilities) and identical restricted ballots are merged again: a voter's money only
  ever depends on which candidates the ballot supports, with which utility.
* For each candidate, `supporters[j]` holds the indices of the (merged) ballots that
  support it, `weights[j]` their multiplicities and `utilities[j]` the utility of each
  (None when every utility is 1, the approval case) — the arrays MES scans.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain

import numpy as np

from .model import Election

# How a ballot turns into MES utilities (see rules/mes.py for what each one means).
UTILITY_COST = "cost"
UTILITY_CARDINALITY = "cardinality"
UTILITY_POINTS = "points"
UTILITIES = (UTILITY_COST, UTILITY_CARDINALITY, UTILITY_POINTS)


@dataclass
class Problem:
    ids: list[str]
    cost: list[int]
    scale: int
    budget: int
    num_voters: int
    num_ballots: int
    supporters: list[np.ndarray]
    weights: list[np.ndarray]
    utilities: list[np.ndarray | None]
    utility_total: list[int]
    max_utility: int
    _member_lists: list[tuple[list[int], list[float], list[float] | None]] | None = field(default=None, repr=False)

    def member_lists(self) -> list[tuple[list[int], list[float], list[float] | None]]:
        """Per candidate, its supporters as Python lists: ballots, multiplicities, utilities (None: all 1)."""
        if self._member_lists is None:
            self._member_lists = [
                (
                    supporters.tolist(),
                    weights.tolist(),
                    None if utilities is None else utilities.astype(float).tolist(),
                )
                for supporters, weights, utilities in zip(self.supporters, self.weights, self.utilities, strict=True)
            ]
        return self._member_lists

    @property
    def incidences(self) -> int:
        """Number of (merged ballot, supported candidate) pairs: the size of the MES input."""
        return sum(len(supporters) for supporters in self.supporters)

    def money(self, minor: Fraction | int) -> Fraction:
        """Minor units back to an exact amount in currency units."""
        return Fraction(minor) / self.scale


def compile_problem(election: Election, candidates: list[str], utility: str) -> Problem:
    """Compile `election` for MES over `candidates` (ids, in a stable order)."""
    amounts = [election.projects[pid].cost for pid in candidates] + [election.budget]
    scale = math.lcm(*(amount.denominator for amount in amounts))
    index = {pid: position for position, pid in enumerate(candidates)}
    merged: dict[tuple[int, ...], int] = {}
    if utility == UTILITY_POINTS or election.uses_points:
        # Signatures interleave (candidate, utility) pairs; a utility of 0 is no support.
        for ballot in election.ballots:
            pairs = sorted(
                (index[pid], points if utility == UTILITY_POINTS else 1)
                for pid, points in zip(ballot.projects, election.ballot_points(ballot), strict=True)
                if pid in index and points > 0
            )
            if pairs:
                signature = tuple(value for pair in pairs for value in pair)
                merged[signature] = merged.get(signature, 0) + ballot.multiplicity
        stride = 2
    else:
        for ballot in election.ballots:
            signature = tuple(sorted([index[pid] for pid in ballot.projects if pid in index]))
            if signature:
                merged[signature] = merged.get(signature, 0) + ballot.multiplicity
        stride = 1

    # Flatten the merged ballots into (ballot, candidate, utility) columns, then split by candidate.
    signatures = list(merged)
    flat = np.fromiter(chain.from_iterable(signatures), dtype=np.int64)
    sizes = np.fromiter(map(len, signatures), dtype=np.intp, count=len(signatures)) // stride
    projects = flat[::stride]
    values = flat[1::2] if stride == 2 else np.ones(len(projects), dtype=np.int64)
    ballots = np.repeat(np.arange(len(signatures), dtype=np.intp), sizes)
    # float64 is exact for integer multiplicities and their sums below 2**53.
    multiplicities = np.repeat(np.fromiter(merged.values(), dtype=np.float64, count=len(merged)), sizes)
    order = np.argsort(projects, kind="stable")
    bounds = np.cumsum(np.bincount(projects, minlength=len(candidates)))[:-1]
    supporters = np.split(ballots[order], bounds)
    weights = np.split(multiplicities[order], bounds)
    member_values = np.split(values[order], bounds)
    totals = np.bincount(projects, weights=multiplicities * values, minlength=len(candidates))
    return Problem(
        ids=list(candidates),
        cost=[int(election.projects[pid].cost * scale) for pid in candidates],
        scale=scale,
        budget=int(election.budget * scale),
        num_voters=election.num_voters,
        num_ballots=len(merged),
        supporters=supporters,
        weights=weights,
        utilities=[None if (part == 1).all() else part for part in member_values],
        utility_total=[int(total) for total in totals.tolist()],
        max_utility=int(values.max()) if len(values) else 1,
    )
