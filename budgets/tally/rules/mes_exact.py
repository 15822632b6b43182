"""One exact MES run at a fixed endowment (the reference computation; semantics in `mes.py`).

Money is integer minor units over a common denominator that is multiplied by the
number of paying shares at each purchase, so every comparison is an exact integer
comparison. Voters are grouped into classes of equal money (a class splits when part
of it pays for a purchase; equal amounts merge again), kept in increasing order of money,
so one candidate's price is a histogram of its supporters' classes (`numpy.bincount`)
walked from the poorest class up to the first one that can pay the equal share.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..outcome import MesRound
from ..profile import UTILITY_COST, Problem


@dataclass
class MesResult:
    """A run's outcome: candidates bought (indices into `Problem.ids`, in purchase order)."""

    endowment: Fraction
    selected: list[int]
    spent: int
    runs: int = 1
    # Add1 runs that floating point could not certify and were decided exactly.
    exact_runs: int = 0
    rounds: list[MesRound] = field(default_factory=list)
    # Money the supporters of each unselected candidate held when the run ended (currency units).
    money_left: dict[int, Fraction] = field(default_factory=dict)


class ExactRun:
    """One MES run at a fixed endowment.

    Invariant: class k holds the voters whose money is `money[k] / denominator` minor
    units, and `money` (a numpy object array of Python ints) is strictly increasing, so a
    class id is also the rank of its money — no sort in the price walk.
    """

    def __init__(
        self, problem: Problem, endowment: Fraction, utility: str, tie_key: Callable[[int], tuple], log: bool
    ) -> None:
        self.problem = problem
        self.endowment = endowment
        self.tie_key = tie_key
        self.log = log
        start = endowment * problem.scale
        self.denominator = start.denominator
        self.money = np.array([start.numerator], dtype=object)
        self.voter_class = np.zeros(problem.num_ballots, dtype=np.intp)
        # With cost utilities ρ = full share ÷ cost; otherwise ρ is the price per unit of utility.
        self.divisor = [cost if utility == UTILITY_COST else 1 for cost in problem.cost]
        self.stride = problem.max_utility + 1
        # Ordering money ÷ utility by the integer money × (lcm ÷ utility) keeps the points walk exact.
        self.lcm = math.lcm(*range(1, self.stride))
        self.rounds: list[MesRound] = []

    def result(self) -> MesResult:
        problem = self.problem
        selected = [j for j, total in enumerate(problem.utility_total) if total > 0 and problem.cost[j] == 0]
        active = {j for j, total in enumerate(problem.utility_total) if total > 0 and problem.cost[j] > 0}
        # A float lower bound on each candidate's ρ (ρ never decreases: money only goes down). It only
        # orders the scan; the scan stops on it with a safety margin far above float rounding, and
        # every decision that counts is an exact integer comparison.
        bound = {j: problem.cost[j] / (problem.utility_total[j] * self.divisor[j]) for j in active}
        spent = 0
        while active:
            best: tuple[int, int] | None = None  # ρ = best[0] / best[1] / denominator
            best_float = math.inf
            tied: list[tuple[int, int, int]] = []
            for j in sorted(active, key=bound.__getitem__):
                if bound[j] > best_float * (1 + 1e-9):
                    break
                price = self.price(j)
                if price is None:
                    active.discard(j)
                    continue
                need, weight = price
                scaled_weight = weight * self.divisor[j]
                bound[j] = need / (scaled_weight * self.denominator)
                if best is None or need * best[1] < best[0] * scaled_weight:
                    best, tied = (need, scaled_weight), [(j, need, weight)]
                    best_float = bound[j]
                elif need * best[1] == best[0] * scaled_weight:
                    tied.append((j, need, weight))
            if best is None:
                break
            j, need, weight = min(tied, key=lambda entry: self.tie_key(entry[0]))
            if self.log:
                before = self.supporters_money(j)
                rho = Fraction(best[0], best[1] * self.denominator)
                share = Fraction(need, weight * self.denominator)  # minor units per unit of utility
            self.pay(j, need, weight)
            active.discard(j)
            selected.append(j)
            spent += problem.cost[j]
            if self.log:
                self.rounds.append(
                    MesRound(
                        number=len(self.rounds) + 1,
                        project=problem.ids[j],
                        rho=rho,
                        effective_votes=problem.cost[j] / share,
                        max_payment=share / problem.scale,
                        supporters_money=before,
                        spent=problem.money(spent),
                    )
                )
        result = MesResult(endowment=self.endowment, selected=selected, spent=spent, runs=1, rounds=self.rounds)
        if self.log:
            chosen = set(selected)
            result.money_left = {
                j: self.supporters_money(j)
                for j, total in enumerate(problem.utility_total)
                if total > 0 and j not in chosen
            }
        return result

    def groups(self, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The supporters of j grouped by (class, utility): class ids, utilities (None: all 1), voter counts."""
        problem = self.problem
        supporters, weights, utilities = problem.supporters[j], problem.weights[j], problem.utilities[j]
        classes = self.voter_class[supporters]
        if utilities is None:
            counts = np.bincount(classes, weights=weights, minlength=len(self.money))
            found = np.flatnonzero(counts)
            return found, counts[found], None
        codes = classes * self.stride + utilities
        if len(self.money) * self.stride <= 4 * len(codes) + 4096:
            counts = np.bincount(codes, weights=weights, minlength=len(self.money) * self.stride)
            found = np.flatnonzero(counts)
            counts = counts[found]
        else:
            found, inverse = np.unique(codes, return_inverse=True)
            counts = np.bincount(inverse, weights=weights)
        return found // self.stride, counts, found % self.stride

    def price(self, j: int) -> tuple[int, int] | None:
        """(need, weight) with ρ·sat = need ÷ weight ÷ denominator minor units, or None if unaffordable.

        Supporters in increasing order of money ÷ utility: the poorest pay everything they
        have, the others the equal share. Group i starts the payers of the share when
        `need_i · u_i <= weight_i · money_i` (need and weight net of the poorer groups); that
        test is false then true along the order, so it is evaluated for all groups at once
        (object arrays: exact Python integers, looped in C) and the first true one is taken.
        """
        classes, counts, utilities = self.groups(j)
        amounts = self.money[classes]
        members = counts.astype(np.int64).astype(object)
        if utilities is not None:
            order = np.argsort(amounts * (self.lcm // utilities).astype(object), kind="stable")
            classes, amounts, members = classes[order], amounts[order], members[order]
            units = utilities[order].astype(object)
            spends = members * units
        else:
            spends = members
        paid = amounts * members
        need = self.problem.cost[j] * self.denominator - (np.cumsum(paid) - paid)
        weight = self.problem.utility_total[j] - (np.cumsum(spends) - spends)
        payers = need <= weight * amounts if utilities is None else need * units <= weight * amounts
        if not payers.any():
            return None
        first = int(np.argmax(payers))
        return int(need[first]), int(weight[first])

    def pay(self, j: int, need: int, weight: int) -> None:
        """Charge the supporters of j min(money, need·utility ÷ weight); money is now in 1/(denominator·weight)."""
        problem = self.problem
        supporters, utilities = problem.supporters[j], problem.utilities[j]
        scaled = self.money * weight
        old = self.voter_class[supporters]
        codes = old if utilities is None else old * self.stride + utilities
        present = np.bincount(codes)
        found = np.flatnonzero(present)
        if utilities is None:
            charged = scaled[found] - need
        else:
            charged = scaled[found // self.stride] - (found % self.stride).astype(object) * need
        charged = np.where(charged > 0, charged, 0)
        renumber = np.cumsum(present > 0) - 1
        classes = self.voter_class.copy()
        classes[supporters] = len(scaled) + renumber[codes]
        values = np.concatenate([scaled, charged])
        live = np.bincount(classes, minlength=len(values)) > 0
        # Sorting and merging equal amounts (all the voters left with nothing, at least) keeps
        # the classes few and in increasing order of money.
        money, merged = np.unique(values[live], return_inverse=True)
        remap = np.zeros(len(values), dtype=np.intp)
        remap[live] = merged.ravel()
        self.voter_class = remap[classes]
        self.money = money
        self.denominator *= weight

    def supporters_money(self, j: int) -> Fraction:
        classes, counts, utilities = self.groups(j)
        total = sum(int(self.money[k]) * int(count) for k, count in zip(classes.tolist(), counts.tolist(), strict=True))
        return Fraction(total, self.denominator * self.problem.scale)
