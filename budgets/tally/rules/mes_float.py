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
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..profile import UTILITY_COST, Problem

EPS = 2.0**-52
# Margins must exceed the computed error bound this many times: the bounds are first-order
# estimates, this factor covers what they neglect.
SAFETY = 64.0


class Ambiguous(Exception):
    """Floating point cannot certify a decision of this run; run it exactly."""


class FloatRun:
    def __init__(self, problem: Problem, endowment: Fraction, utility: str, tie_key: Callable[[int], tuple]) -> None:
        self.problem = problem
        start = endowment * problem.scale
        self.endowment = float(start)
        self.error = EPS * self.endowment  # bound on the absolute error of any class's money
        self.money = np.array([self.endowment])
        self.voter_class = np.zeros(problem.num_ballots, dtype=np.intp)
        self.cost = [float(cost) for cost in problem.cost]
        self.divisor = [float(cost) if utility == UTILITY_COST else 1.0 for cost in problem.cost]
        self.stride = problem.max_utility + 1
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
                    if price.exact < best.exact:
                        best, tied = price, [price]
                    elif price.exact == best.exact:
                        tied.append(price)
            if best is None:
                break
            chosen = min(tied, key=lambda entry: self.tie_key(entry.project))
            self.pay(chosen)
            active.discard(chosen.project)
            selected.append(chosen.project)
            spent += problem.cost[chosen.project]
        return selected, spent

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
        """j's share per unit of utility and ρ with error bounds, or None when certainly unaffordable."""
        classes, members, utility = self.groups(j)
        amount = self.money[classes]
        key = amount if utility is None else amount / utility
        order = np.argsort(key, kind="stable")
        key, amount, members = key[order], amount[order], members[order]
        paid = members * amount
        running = np.cumsum(paid)
        before = running - paid  # money of the poorer groups, each paying all it has
        total_weight = self.problem.utility_total[j]
        if utility is None:
            weight = total_weight - (np.cumsum(members) - members)
            affordable = self.cost[j] - before <= weight * amount
        else:
            utility = utility[order]
            weight = total_weight - (np.cumsum(members * utility) - members * utility)
            affordable = (self.cost[j] - before) * utility <= weight * amount
        cost = self.cost[j]
        if not affordable.any():
            total = float(running[-1])
            error = float(members.sum()) * self.error + EPS * (len(key) + 2) * total + EPS * cost
            if cost - total <= SAFETY * error:
                raise Ambiguous
            return None
        k = int(np.argmax(affordable))
        poorer = float(members[:k].sum())
        spent = float(before[k])
        share = (cost - spent) / float(weight[k])
        share_error = (poorer * self.error + EPS * (k + 2) * running[k] + EPS * cost) / float(weight[k]) + EPS * share
        # Certify the split directly: every group before k is clearly poorer than the share,
        # group k (hence every later one) clearly richer.
        margin = SAFETY * (share_error + self.error + EPS * self.endowment)
        if key[k] - share <= margin or (k > 0 and share - key[k - 1] <= margin):
            raise Ambiguous
        divisor = self.divisor[j]
        rho = share / divisor
        # Nobody short of money: the share is cost ÷ total utility, an exact rational.
        exact = Fraction(self.problem.cost[j], total_weight * int(divisor)) if k == 0 else None
        return _Price(j, share, share_error, rho, SAFETY * (share_error / divisor + EPS * rho), exact)

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
        charged[charged < 0] = 0.0
        renumber = np.cumsum(present > 0) - 1
        classes = self.voter_class.copy()
        classes[supporters] = len(self.money) + renumber[codes]
        self.voter_class = classes
        self.money = np.concatenate([self.money, charged])
        if len(self.money) > 2 * problem.num_ballots + 64:
            live = np.flatnonzero(np.bincount(classes, minlength=len(self.money)))
            remap = np.zeros(len(self.money), dtype=np.intp)
            remap[live] = np.arange(len(live))
            self.voter_class = remap[classes]
            self.money = self.money[live]
        self.error += price.share_error * problem.max_utility + EPS * self.endowment


@dataclass(frozen=True)
class _Price:
    project: int
    share: float
    share_error: float
    rho: float
    error: float
    exact: Fraction | None
