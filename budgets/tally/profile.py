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
    merged: dict[tuple[tuple[int, int], ...], int] = {}
    for ballot in election.ballots:
        key = []
        for pid, points in zip(ballot.projects, election.ballot_points(ballot), strict=True):
            if pid in index and points > 0:
                key.append((index[pid], points if utility == UTILITY_POINTS else 1))
        if key:
            signature = tuple(sorted(key))
            merged[signature] = merged.get(signature, 0) + ballot.multiplicity

    members: list[list[int]] = [[] for _ in candidates]
    member_weights: list[list[int]] = [[] for _ in candidates]
    member_utilities: list[list[int]] = [[] for _ in candidates]
    for ballot_number, (signature, multiplicity) in enumerate(merged.items()):
        for project, value in signature:
            members[project].append(ballot_number)
            member_weights[project].append(multiplicity)
            member_utilities[project].append(value)

    utilities: list[np.ndarray | None] = []
    for values in member_utilities:
        utilities.append(None if all(value == 1 for value in values) else np.asarray(values, dtype=np.int64))
    return Problem(
        ids=list(candidates),
        cost=[int(election.projects[pid].cost * scale) for pid in candidates],
        scale=scale,
        budget=int(election.budget * scale),
        num_voters=election.num_voters,
        num_ballots=len(merged),
        supporters=[np.asarray(values, dtype=np.intp) for values in members],
        # float64 is exact for integer multiplicities and their sums below 2**53.
        weights=[np.asarray(values, dtype=np.float64) for values in member_weights],
        utilities=utilities,
        utility_total=[
            sum(w * u for w, u in zip(ws, us, strict=True))
            for ws, us in zip(member_weights, member_utilities, strict=True)
        ],
        max_utility=max((max(values) for values in member_utilities if values), default=1),
    )
