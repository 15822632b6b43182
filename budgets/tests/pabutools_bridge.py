"""Run pabutools (the reference library) with exactly the semantics of our rules.

Used by the cross-check tests and by bench/tally.py. Every function takes a path to a
`.pb` file, parses it with pabutools' own parser, collapses the profile with
`as_multiprofile()` and returns the sorted winning project ids.
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

from pabutools.election import AbstractApprovalProfile, Cost_Sat, Instance, parse_pabulib
from pabutools.election.ballot.ordinalballot import AbstractOrdinalBallot
from pabutools.election.satisfaction import AdditiveSatisfaction
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule, lexico_tie_breaking


def _points(instance, profile, ballot, project, precomputed) -> int:
    """Points a ballot gives a project: cumulative points, or L..1 for an ordinal ballot of length L."""
    if project not in ballot:
        return 0
    if isinstance(ballot, AbstractOrdinalBallot):
        return len(ballot) - ballot.position(project)
    return int(ballot[project])


class PointsSat(AdditiveSatisfaction):
    """Utility = the points given (our MES `points` utility)."""

    def __init__(self, instance, profile, ballot) -> None:
        super().__init__(instance, profile, ballot, _points)


class PointsTimesCostSat(AdditiveSatisfaction):
    """Points × cost: pabutools' greedy then ranks by total points (our greedy on points ballots)."""

    def __init__(self, instance, profile, ballot) -> None:
        super().__init__(instance, profile, ballot, lambda *args: _points(*args) * args[3].cost)


class Reference:
    """One pabulib file loaded in pabutools, with our tie-breaking chains available."""

    def __init__(self, path: str) -> None:
        started, cpu_started = time.perf_counter(), time.process_time()
        self.instance, profile = parse_pabulib(str(path))
        self.parse_seconds = time.perf_counter() - started  # reading the file, not tallying
        self.parse_cpu_seconds = time.process_time() - cpu_started
        self.voters = profile.num_ballots()
        self.profile = profile.as_multiprofile()
        self.points = not isinstance(profile, AbstractApprovalProfile)
        # Votes per project, for the tie-breaking chains (one pass over the distinct ballots).
        self.votes = dict.fromkeys((project.name for project in self.instance), 0)
        for ballot, multiplicity in self.profile.items():
            for project in ballot:
                self.votes[project.name] += multiplicity

    def ties(self, chain: tuple[str, ...]) -> TieBreakingRule:
        """Our chain ("id",) or ("min_cost", "max_votes", "id") as a pabutools rule."""
        if chain == ("id",):
            return lexico_tie_breaking
        assert chain == ("min_cost", "max_votes", "id"), chain
        return TieBreakingRule(lambda inst, prof, project: (project.cost, -self.votes[project.name], project.name))

    def greedy(self, chain: tuple[str, ...] = ("id",)) -> list[str]:
        sat = PointsTimesCostSat if self.points else Cost_Sat
        outcome = greedy_utilitarian_welfare(self.instance, self.profile, sat_class=sat, tie_breaking=self.ties(chain))
        return sorted(project.name for project in outcome)

    def mes(
        self, chain: tuple[str, ...] = ("id",), *, sat=None, add1: bool = False, completion: bool = False
    ) -> list[str]:
        """pabutools MES (endowment budget ÷ voters); `add1`: its own Add1; `completion`: then greedy."""
        sat = sat or (PointsSat if self.points else Cost_Sat)
        ties = self.ties(chain)
        outcome = method_of_equal_shares(
            self.instance, self.profile, sat_class=sat, tie_breaking=ties, voter_budget_increment=1 if add1 else None
        )
        if completion:
            greedy_sat = PointsTimesCostSat if sat is PointsSat else Cost_Sat
            outcome = greedy_utilitarian_welfare(
                self.instance, self.profile, sat_class=greedy_sat, tie_breaking=ties, initial_budget_allocation=outcome
            )
        return sorted(project.name for project in outcome)

    def mes_add1_pabulib(self, chain: tuple[str, ...] = ("min_cost", "max_votes", "id"), *, sat=None) -> list[str]:
        """The pabulib `equalshares/add1` rule with pabutools' fixed-budget MES in the outer loop.

        Endowment ⌊budget ÷ voters⌋, +1 while the next run does not overspend (how
        expected.json's `mes_cost_add1_eqsh_noexh` was computed).
        """
        sat = sat or (PointsSat if self.points else Cost_Sat)
        ties = self.ties(chain)
        budget = Fraction(self.instance.budget_limit)
        endowment = math.floor(budget / self.voters)
        supported = sum(1 for votes in self.votes.values() if votes)
        kept = None
        while True:
            instance = Instance(self.instance, budget_limit=endowment * self.voters)
            outcome = method_of_equal_shares(instance, self.profile, sat_class=sat, tie_breaking=ties)
            if sum(Fraction(project.cost) for project in outcome) > budget:
                return sorted(project.name for project in kept)
            if len(outcome) == supported:  # everything supported fits: no run can overspend
                return sorted(project.name for project in outcome)
            kept, endowment = outcome, endowment + 1
