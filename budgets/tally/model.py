"""The election as the tally engine sees it: META, projects, and distinct ballots.

Amounts (costs, the budget) are exact `Fraction`s: pabulib costs and budgets may be
decimal (Kraków district budgets such as `1721654.65`), and a rule that compares sums
must never round. `parse_amount` accepts what pabulib writes (`12`, `12.5`) and refuses
a decimal comma; `format_amount` writes an amount back without losing a digit.

Ballots are aggregated: identical ballots are stored once with a multiplicity, which
is what makes tallies of 100,000+ voters fast (Wrocław 2015: 131,778 ballots, at most
197 distinct ones). The individual voter rows are kept separately (`Election.voters`)
only so that `write_pb` can reproduce a file; no rule reads them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

APPROVAL = "approval"
CHOOSE_1 = "choose-1"
CUMULATIVE = "cumulative"
ORDINAL = "ordinal"
SCORING = "scoring"
VOTE_TYPES = (APPROVAL, CHOOSE_1, CUMULATIVE, ORDINAL, SCORING)
# Ballot families whose natural measure is points rather than the number of votes.
POINTS_TYPES = (CUMULATIVE, ORDINAL, SCORING)

_AMOUNT = re.compile(r"^\d+(\.\d+)?$")


def parse_amount(text: str) -> Fraction:
    """Parse a non-negative decimal amount written with a dot (`1721654.65`) exactly."""
    text = text.strip()
    if not _AMOUNT.match(text):
        raise ValueError(f"not an amount: {text!r} (expected digits with an optional dot, e.g. 1500 or 1721654.65)")
    return Fraction(text)


def format_amount(value: Fraction | int) -> str:
    """Write an amount exactly: `100000`, `1721654.65`; a non-decimal fraction as `p/q`."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = abs(value.numerator) * 10**places // value.denominator
    sign = "-" if value < 0 else ""
    digits = str(scaled).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def format_money(value: Fraction | int, places: int = 2) -> str:
    """An amount for people: exact when it has at most `places` decimals, else rounded down to them."""
    value = Fraction(value)
    unit = 10**places
    if (value * unit).denominator != 1:
        value = Fraction(math.floor(value * unit), unit)
    return format_amount(value)


@dataclass(frozen=True)
class Project:
    """One PROJECTS row. `fields` holds every other column as read (name, votes, selected...)."""

    id: str
    cost: Fraction
    fields: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        return self.fields.get("name", "")


@dataclass(frozen=True)
class Ballot:
    """A distinct ballot and how many voters cast it.

    `projects` is the approved set (approval, choose-1), the ranking best first (ordinal),
    or the projects given points (cumulative, scoring), with `points` as the parallel list.
    """

    projects: tuple[str, ...]
    multiplicity: int = 1
    points: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Voter:
    """One VOTES row, kept for writing the file back: its ballot and the other columns."""

    voter_id: str
    ballot: int
    extra: tuple[str, ...] = ()


@dataclass
class Election:
    """A whole pabulib election. `meta` keeps the META section in file order, as text."""

    meta: dict[str, str]
    projects: dict[str, Project]
    ballots: list[Ballot]
    project_columns: tuple[str, ...] = ()
    voter_columns: tuple[str, ...] = ()
    voters: list[Voter] | None = None

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", APPROVAL).strip().lower()

    @property
    def budget(self) -> Fraction:
        return parse_amount(self.meta["budget"])

    @property
    def num_voters(self) -> int:
        return sum(ballot.multiplicity for ballot in self.ballots)

    @property
    def uses_points(self) -> bool:
        return self.vote_type in POINTS_TYPES

    def ballot_points(self, ballot: Ballot) -> tuple[int, ...]:
        """Points each listed project gets from this ballot.

        Approval and choose-1: 1 each. Cumulative and scoring: the `points` column.
        Ordinal: a ballot of length L gives L, L-1, ..., 1 (the pabulib `score` convention,
        checked on Kraków files; pabutools' Borda gives L-1..0 instead).
        """
        if self.vote_type == ORDINAL:
            length = len(ballot.projects)
            return tuple(range(length, 0, -1))
        if ballot.points is not None:
            return ballot.points
        return (1,) * len(ballot.projects)

    @cached_property
    def votes(self) -> dict[str, int]:
        """Number of voters whose ballot lists each project (whatever the points)."""
        counts = dict.fromkeys(self.projects, 0)
        for ballot in self.ballots:
            for project_id in ballot.projects:
                counts[project_id] += ballot.multiplicity
        return counts

    @cached_property
    def scores(self) -> dict[str, int]:
        """Total points per project; for approval ballots this equals the vote count.

        Scoring ballots add `default_score` (META, default 0) for every voter who did not
        list the project.
        """
        if not self.uses_points:
            return dict(self.votes)
        totals = dict.fromkeys(self.projects, 0)
        for ballot in self.ballots:
            for project_id, points in zip(ballot.projects, self.ballot_points(ballot), strict=True):
                totals[project_id] += points * ballot.multiplicity
        if self.vote_type == SCORING:
            default = int(self.meta.get("default_score", "0") or 0)
            if default:
                voters = self.num_voters
                for project_id, votes in self.votes.items():
                    totals[project_id] += default * (voters - votes)
        return totals
