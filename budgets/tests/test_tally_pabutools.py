"""Our winners against pabutools (the reference library) run live, with identical semantics.

pabutools reads the same files with its own parser; profiles are collapsed with
as_multiprofile(). Slow combinations (pabutools' Add1 reruns MES hundreds of times) are
limited to the files where it takes a few seconds; expected.json covers the others.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from pabutools.election import Cost_Sat

from budgets.tally import MesOptions, TieBreaking, parse_pb, tally, write_pb
from budgets.tally.profile import compile_problem
from budgets.tally.rules.mes import equal_shares
from budgets.tests.pabutools_bridge import Reference
from budgets.tests.tally_helpers import FILE_IDS, PB_FILES, random_election, require_pabulib

PABUTOOLS_TIES = ("id",)
EXACT_START = {"start": "exact", "add1": False}
PABUTOOLS_ADD1 = {"start": "exact", "stop": "exhaustive"}


def utility(election) -> str:
    return "points" if election.uses_points else "cost"


@pytest.mark.parametrize("path", PB_FILES, ids=FILE_IDS)
def test_greedy_and_plain_mes_pick_what_pabutools_picks(path):
    election, reference = parse_pb(path), Reference(path)
    assert sorted(tally(election, "greedy", tie_breaking=PABUTOOLS_TIES).selected) == reference.greedy()
    options = MesOptions(utility=utility(election), **EXACT_START)
    assert sorted(tally(election, "mes-add1", tie_breaking=PABUTOOLS_TIES, mes_options=options).selected) == (
        reference.mes()
    )


@pytest.mark.parametrize(
    "name",
    [
        "Poland_Czestochowa_2024_Mirow.pb",
        "Poland_Warszawa_2026_Stegny.pb",
        "US_Stanford_Dataset_PB_Chicago_33rd_Ward_2021_vote_knapsacks.pb",
    ],
)
def test_pabutools_own_add1_with_greedy_completion_picks_the_same(name):
    path = require_pabulib() / name
    election, reference = parse_pb(path), Reference(path)
    options = MesOptions(utility=utility(election), **PABUTOOLS_ADD1)
    ours = tally(election, "mes-add1-greedy", tie_breaking=PABUTOOLS_TIES, mes_options=options)
    assert sorted(ours.selected) == reference.mes(add1=True, completion=True)


def test_mes_add1_on_cumulative_ballots_equals_pabutools_fixed_budget_runs():
    # No expected.json entry has points utilities with the pabulib Add1; pabutools in a loop does.
    path = require_pabulib() / "Poland_Czestochowa_2024_Mirow.pb"
    assert sorted(tally(parse_pb(path), "mes-add1").selected) == Reference(path).mes_add1_pabulib()


@pytest.mark.parametrize("name", ["Poland_Czestochowa_2024_Mirow.pb", "Poland_Krakow_2022_Zwierzyniec.pb"])
def test_points_ballots_read_as_approvals_match_pabutools_cost_satisfaction(name):
    path = require_pabulib() / name
    options = MesOptions(utility="cost", **EXACT_START)
    ours = tally(parse_pb(path), "mes-add1", tie_breaking=PABUTOOLS_TIES, mes_options=options)
    assert sorted(ours.selected) == Reference(path).mes(sat=Cost_Sat)


def _compare(reference: Reference, election, chain: tuple[str, ...]) -> None:
    ties = TieBreaking(chain).key_function(
        {pid: project.cost for pid, project in election.projects.items()}, election.votes, election.scores
    )
    supported = [pid for pid in election.projects if election.scores[pid] > 0]
    problem = compile_problem(election, supported, utility(election))
    key: Callable[[int], tuple] = lambda j: ties(problem.ids[j])  # noqa: E731

    def winners(**options) -> list[str]:
        result = equal_shares(problem, MesOptions(utility=utility(election), **options), key)
        return sorted(problem.ids[j] for j in result.selected)

    assert winners(**EXACT_START) == reference.mes(chain)
    assert winners(**PABUTOOLS_ADD1) == reference.mes(chain, add1=True)
    if len(supported) == len(election.projects):  # pabutools' greedy also funds unsupported projects
        assert sorted(tally(election, "greedy", tie_breaking=chain).selected) == reference.greedy(chain)
        assert winners() == reference.mes_add1_pabulib(chain)


@pytest.mark.parametrize("vote_type", ["approval", "cumulative"])
def test_small_random_elections_full_of_ties_agree_with_pabutools(tmp_path, vote_type):
    rng = random.Random(f"budgets-{vote_type}")
    for number in range(12):
        election = random_election(rng, vote_type)
        path = tmp_path / f"{number}.pb"
        path.write_text(write_pb(election), encoding="utf-8")
        election = parse_pb(path)
        for chain in (("id",), ("min_cost", "max_votes", "id")):
            _compare(Reference(path), election, chain)
