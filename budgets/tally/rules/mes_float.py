"""A fast MES run in floating point that refuses to guess: certified or `Ambiguous`.

Add1 reruns MES hundreds of times and only needs each run's outcome. This run makes the
same decisions as the exact run (`mes_exact.py`) in float64 numpy arrays, and carries a
bound on the absolute error of every amount. A decision is taken only when its margin
exceeds that bound many times over (`SAFETY`); otherwise — an exact tie between two
projects, a supporter whose money equals the share to the last cent, a project whose
supporters hold exactly its cost — it raises `Ambiguous` and the caller redoes the run
exactly. A run that returns therefore has exactly the exact run's outcome.

Voters are grouped by the set of purchased projects they supported (their money is a
function of that set: the endowment minus their payments, or 0 once they paid all they
had), so a class never needs a value comparison to be formed.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from operator import truediv
from typing import NamedTuple

import numpy as np

from ..profile import UTILITY_COST, Problem

EPS = 2.0**-52
# Margins must exceed the computed error bound this many times: the bounds are first-order
# estimates, this factor covers what they neglect.
SAFETY = 64.0


class Ambiguous(Exception):
    """Floating point cannot certify a decision of this run; run it exactly."""


class _FloatRun:
    """The scan and the decisions; subclasses price a candidate and charge its supporters."""

    def __init__(self, problem: Problem, endowment: Fraction, utility: str, tie_key: Callable[[int], tuple]) -> None:
        self.problem = problem
        self.endowment = float(endowment * problem.scale)
        self.error = EPS * self.endowment  # bound on the absolute error of any voter's money
        self.cost = [float(cost) for cost in problem.cost]
        self.divisor = [float(cost) if utility == UTILITY_COST else 1.0 for cost in problem.cost]
        self.tie_key = tie_key

    def outcome(self) -> tuple[list[int], int]:
        """(purchases in order, minor units spent) — identical to the exact run's, or `Ambiguous`."""
        problem = self.problem
        selected = [j for j, total in enumerate(problem.utility_total) if total > 0 and problem.cost[j] == 0]
        active = {j for j, total in enumerate(problem.utility_total) if total > 0 and problem.cost[j] > 0}
        # Certified lower bounds on each candidate's ρ (it never decreases), to order and cut the scan.
        lower = {j: self.cost[j] / (problem.utility_total[j] * self.divisor[j]) * (1 - 4 * EPS) for j in active}
        spent = 0
        while active:
            best: _Price | None = None
            tied: list[_Price] = []
            for j in sorted(active, key=lower.__getitem__):
                if best is not None and lower[j] > best.rho + best.error:
                    break
                price = self.price(j)
                if price is None:
                    active.discard(j)
                    continue
                lower[j] = price.rho - price.error
                if best is None or price.rho + price.error < best.rho - best.error:
                    best, tied = price, [price]
                elif price.rho - price.error <= best.rho + best.error:
                    # Too close to call in floating point: only exact values can say (a real tie
                    # is common: two untouched projects with as many votes have the same ρ).
                    if price.exact is None or best.exact is None:
                        raise Ambiguous
                    # Compare the exact ratios by cross-multiplication.
                    ours, theirs = price.exact[0] * best.exact[1], best.exact[0] * price.exact[1]
                    if ours < theirs:
                        best, tied = price, [price]
                    elif ours == theirs:
                        tied.append(price)
            if best is None:
                break
            chosen = tied[0] if len(tied) == 1 else min(tied, key=lambda entry: self.tie_key(entry.project))
            self.pay(chosen)
            active.discard(chosen.project)
            selected.append(chosen.project)
            spent += problem.cost[chosen.project]
        return selected, spent

    def certify_unaffordable(self, j: int, *, total: float, voters: float, terms: int) -> None:
        """Raise `Ambiguous` unless j's supporters clearly hold less than its cost (`total`)."""
        cost = self.cost[j]
        if cost - total <= SAFETY * (voters * self.error + EPS * (terms + 2) * total + EPS * cost):
            raise Ambiguous

    def certify(
        self, j: int, *, k: int, spent: float, weight: float, poorer: float, rich_key: float, poor_key: float | None
    ) -> _Price:
        """j's price from the walk's split before group k, or `Ambiguous` if the split is not certain.

        `spent`: money of the groups before k (they pay all they have); `weight`: utility of
        the others; `poorer`: voters before k; `rich_key` / `poor_key`: money ÷ utility of
        group k / k-1 in increasing order.
        """
        cost = self.cost[j]
        share = (cost - spent) / weight
        share_error = (poorer * self.error + EPS * (k + 3) * cost) / weight + EPS * share
        # Every group before k clearly poorer than the share, group k (hence every later one) clearly richer.
        margin = SAFETY * (share_error + self.error + EPS * self.endowment)
        if rich_key - share <= margin or (poor_key is not None and share - poor_key <= margin):
            raise Ambiguous
        divisor = self.divisor[j]
        rho = share / divisor
        # Nobody short of money: the share is cost ÷ total utility, an exact rational.
        exact = (self.problem.cost[j], self.problem.utility_total[j] * int(divisor)) if k == 0 else None
        return _Price(j, share, share_error, rho, SAFETY * (share_error / divisor + EPS * rho), exact)

    def price(self, j: int) -> _Price | None:
        raise NotImplementedError

    def pay(self, price: _Price) -> None:
        raise NotImplementedError


class NumpyFloatRun(_FloatRun):
    """Voters grouped by the purchases they paid for, numpy over the groups: for large elections."""

    def __init__(self, problem: Problem, endowment: Fraction, utility: str, tie_key: Callable[[int], tuple]) -> None:
        super().__init__(problem, endowment, utility, tie_key)
        # Class 0 holds whoever has nothing left (exactly 0: they paid all they had); class 1 starts with everyone.
        self.money = np.array([0.0, self.endowment])
        self.voter_class = np.ones(problem.num_ballots, dtype=np.intp)
        self.stride = problem.max_utility + 1
        self.live = 2

    def groups(self, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Supporters of j grouped by (class, utility): class ids, voter counts, utilities (None: all 1)."""
        problem = self.problem
        supporters, weights, utilities = problem.supporters[j], problem.weights[j], problem.utilities[j]
        classes = self.voter_class[supporters]
        if utilities is None:
            counts = np.bincount(classes, weights=weights, minlength=len(self.money))
            found = np.flatnonzero(counts)
            return found, counts[found], None
        codes = classes * self.stride + utilities
        found, inverse = np.unique(codes, return_inverse=True)
        counts = np.bincount(inverse.ravel(), weights=weights)
        return found // self.stride, counts, (found % self.stride).astype(np.float64)

    def price(self, j: int) -> _Price | None:
        classes, members, utility = self.groups(j)
        amount = self.money[classes]
        key = amount if utility is None else amount / utility
        lowest = float(key.min())
        weight = float(self.problem.utility_total[j])
        if self.cost[j] <= weight * lowest:  # the common case: nobody is short of money
            return self.certify(j, k=0, spent=0.0, weight=weight, poorer=0.0, rich_key=lowest, poor_key=None)
        cost = self.cost[j]
        paid = members * amount
        spends = members if utility is None else members * utility
        # The poor/rich fixed point (pabutools' affordability_poor_rich), vectorised: whoever holds
        # less than the equal share of the others pays everything; the share only grows, so the
        # poor set only grows, and it settles after a few passes — no sort needed.
        poor = key < cost / weight
        while True:
            spent = float(paid[poor].sum())
            rich_weight = weight - float(spends[poor].sum())
            if rich_weight <= 0:
                self.certify_unaffordable(j, total=spent, voters=float(members.sum()), terms=len(key))
                return None
            share = (cost - spent) / rich_weight
            widened = key < share
            if np.array_equal(widened, poor):
                break
            poor = widened
        poorer = int(poor.sum())
        return self.certify(
            j,
            k=poorer,
            spent=spent,
            weight=rich_weight,
            poorer=float(members[poor].sum()),
            rich_key=float(key[~poor].min()),
            poor_key=float(key[poor].max()) if poorer else None,
        )

    def pay(self, price: _Price) -> None:
        problem = self.problem
        supporters, utilities = problem.supporters[price.project], problem.utilities[price.project]
        old = self.voter_class[supporters]
        codes = old if utilities is None else old * self.stride + utilities
        present = np.bincount(codes)
        found = np.flatnonzero(present)
        if utilities is None:
            charged = self.money[found] - price.share
        else:
            charged = self.money[found // self.stride] - (found % self.stride) * price.share
        # price() certified every group as clearly poor (pays everything) or clearly rich.
        broke = charged <= 0
        charged[broke] = 0.0
        target = len(self.money) + np.arange(len(found))
        target[broke] = 0
        renumber = np.zeros(len(present), dtype=np.intp)
        renumber[found] = target
        classes = self.voter_class.copy()
        classes[supporters] = renumber[codes]
        self.voter_class = classes
        self.money = np.concatenate([self.money, charged])
        # Classes emptied by this purchase linger until the table doubles; then drop them.
        if len(self.money) > 2 * self.live + 256:
            live = np.flatnonzero(np.bincount(classes, minlength=len(self.money)))
            if live[0] != 0:  # keep class 0 for the broke
                live = np.concatenate([[0], live])
            remap = np.zeros(len(self.money), dtype=np.intp)
            remap[live] = np.arange(len(live))
            self.voter_class = remap[classes]
            self.money = self.money[live]
            self.live = len(live)
        self.error += price.share_error * problem.max_utility + EPS * self.endowment


class PythonFloatRun(_FloatRun):
    """One float per (merged) ballot in a list and plain loops: faster for small elections."""

    def __init__(self, problem: Problem, endowment: Fraction, utility: str, tie_key: Callable[[int], tuple]) -> None:
        super().__init__(problem, endowment, utility, tie_key)
        self.money = [self.endowment] * problem.num_ballots
        self.members = problem.member_lists()

    def price(self, j: int) -> _Price | None:
        money = self.money
        ballots, weights, utilities = self.members[j]
        cost = self.cost[j]
        weight = float(self.problem.utility_total[j])
        if utilities is None:
            keys = list(map(money.__getitem__, ballots))
        else:
            keys = list(map(truediv, map(money.__getitem__, ballots), utilities))
        lowest = min(keys)
        if cost <= weight * lowest:  # the common case: nobody is short of money
            return self.certify(j, k=0, spent=0.0, weight=weight, poorer=0.0, rich_key=lowest, poor_key=None)
        spent = poorer = 0.0
        previous = None
        for count, position in enumerate(sorted(range(len(keys)), key=keys.__getitem__)):
            key, members = keys[position], weights[position]
            if cost - spent <= weight * key:
                return self.certify(
                    j, k=count, spent=spent, weight=weight, poorer=poorer, rich_key=key, poor_key=previous
                )
            spent += members * money[ballots[position]]
            weight -= members * (1.0 if utilities is None else utilities[position])
            poorer += members
            previous = key
        self.certify_unaffordable(j, total=spent, voters=poorer, terms=len(keys))
        return None

    def pay(self, price: _Price) -> None:
        money, share = self.money, price.share
        ballots, _, utilities = self.members[price.project]
        # price() certified every supporter as clearly poor (pays everything) or clearly rich.
        if utilities is None:
            for b in ballots:
                left = money[b] - share
                money[b] = left if left > 0 else 0.0
        else:
            for b, u in zip(ballots, utilities, strict=True):
                left = money[b] - share * u
                money[b] = left if left > 0 else 0.0
        self.error += price.share_error * self.problem.max_utility + EPS * self.endowment


class _Price(NamedTuple):
    project: int
    share: float
    share_error: float
    rho: float
    error: float
    # ρ as an exact ratio (numerator, denominator) when nobody is short of money, else None.
    exact: tuple[int, int] | None
