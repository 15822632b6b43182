"""The participatory-budget tally engine: pure Python, no Django, no database.

    from budgets.tally import parse_pb, tally, write_pb
    election = parse_pb("Poland_Warszawa_2026_Stegny.pb")
    outcome = tally(election, "greedy-threshold")
    outcome.selected, outcome.spent, outcome.results["672"].reason_code

Modules: `model` (Election, amounts), `parse` / `write` (the pabulib `.pb` format),
`tiebreak` (tie-breaking chains), `rules/greedy` and `rules/mes` (the exact semantics, in
their docstrings), `rules/mes_exact` / `rules/mes_float` (one MES run, exact or certified
floating point), `profile` (the election compiled into integer money and supporter
arrays), `engine` (`tally`, eligibility, reasons), `outcome` (results and reason codes),
`explain` (sentences for the results page), `validate` (checker-style warnings).

Dependencies: the standard library and numpy; no Django, no database.
"""

from __future__ import annotations

from .engine import RULES, meta_threshold, tally
from .model import Ballot, Election, Project, Voter, format_amount, format_money, parse_amount
from .outcome import MesRound, Outcome, ProjectResult
from .parse import PbFormatError, parse_pb
from .rules.mes import MesOptions
from .tiebreak import DEFAULT_CHAIN, PABUTOOLS_CHAIN, TieBreaking
from .validate import consistency_problems
from .write import write_pb

__all__ = [
    "DEFAULT_CHAIN",
    "PABUTOOLS_CHAIN",
    "RULES",
    "Ballot",
    "Election",
    "MesOptions",
    "MesRound",
    "Outcome",
    "PbFormatError",
    "Project",
    "ProjectResult",
    "TieBreaking",
    "Voter",
    "consistency_problems",
    "format_amount",
    "format_money",
    "meta_threshold",
    "parse_amount",
    "parse_pb",
    "tally",
    "write_pb",
]
