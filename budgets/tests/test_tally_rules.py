"""The rules on tiny hand-made elections: outcomes, reasons for losing, tie-breaking, exactness."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

import budgets.tally.rules.mes as mes
from budgets.tally import MesOptions, TieBreaking, tally
from budgets.tally.explain import REASONS, RULE_DESCRIPTIONS, describe, explain
from budgets.tally.outcome import REASON_CODES
from budgets.tally.profile import compile_problem
from budgets.tests.tally_helpers import make_election, random_election

# a: 5 votes, b: 4, c: 3, d: 1, e: nobody; 100 to spend.
LADDER = make_election(
    {"a": 60, "b": 50, "c": 30, "d": 10, "e": 5},
    [("a",)] * 5 + [("b",)] * 4 + [("c",)] * 3 + [("d",)],
    budget=100,
)


def reasons(outcome) -> dict:
    return {pid: (result.reason_code, result.reason_params) for pid, result in outcome.results.items()}


def test_greedy_skips_a_project_that_no_longer_fits_and_continues():
    outcome = tally(LADDER, "greedy")
    assert outcome.selected == ("a", "c", "d")
    assert outcome.spent == 100
    assert reasons(outcome)["b"] == ("did_not_fit", {"remaining": "40", "cost": "50"})


def test_greedy_no_skip_stops_at_the_first_project_that_does_not_fit():
    outcome = tally(LADDER, "greedy-no-skip")
    assert outcome.selected == ("a",)
    assert reasons(outcome)["b"] == ("did_not_fit", {"remaining": "40", "cost": "50"})
    assert reasons(outcome)["c"] == ("greedy_stopped", {"stopped_at": "b"})
    assert reasons(outcome)["d"] == ("greedy_stopped", {"stopped_at": "b"})


def test_greedy_threshold_excludes_projects_below_the_threshold():
    outcome = tally(LADDER, "greedy-threshold", threshold=3)
    assert outcome.selected == ("a", "c")
    assert reasons(outcome)["d"] == ("below_threshold", {"threshold": 3, "value": 1})


def test_greedy_threshold_reads_the_threshold_from_meta_and_refuses_to_run_without_one():
    with_meta = make_election({"a": 10, "b": 10}, [("a",), ("a",), ("b",)], budget=100, min_project_score_threshold="2")
    assert tally(with_meta, "greedy-threshold").selected == ("a",)
    assert tally(with_meta, "greedy-threshold").threshold == 2
    with pytest.raises(ValueError, match="needs a threshold"):
        tally(LADDER, "greedy-threshold")


@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip", "mes-add1", "mes-add1-greedy"])
def test_a_project_nobody_supports_is_never_funded(rule):
    outcome = tally(LADDER, rule)
    assert "e" not in outcome.selected
    assert reasons(outcome)["e"] == ("no_support", {})


def test_greedy_on_points_ballots_ranks_by_points_not_votes():
    # x: 2 voters with 1 point each; y: 1 voter with 5 points. Only one fits.
    election = make_election(
        {"x": 60, "y": 60},
        [(("x",), (1,)), (("x",), (1,)), (("y",), (5,))],
        budget=100,
        vote_type="cumulative",
    )
    outcome = tally(election, "greedy")
    assert outcome.selected == ("y",)
    assert (outcome.results["x"].votes, outcome.results["x"].score) == (2, 2)


def test_mes_shares_the_budget_where_greedy_gives_it_all_to_the_majority():
    # Half the voters want a and b, the other half c: greedy funds a and b, MES a and c.
    election = make_election({"a": 2, "b": 2, "c": 2}, [("a", "b"), ("a", "b"), ("c",), ("c",)], budget=4)
    assert set(tally(election, "greedy").selected) == {"a", "b"}
    outcome = tally(election, "mes-add1")
    assert outcome.selected == ("a", "c")
    assert reasons(outcome)["b"] == ("shares_insufficient", {"supporters_money": "0", "cost": "2", "endowment": "1"})
    first = outcome.rounds[0]
    assert (first.project, first.effective_votes, first.max_payment, first.rho) == ("a", 2, 1, Fraction(1, 2))
    assert outcome.rounds[1].spent == 4


def test_add1_raises_the_endowment_by_one_until_the_next_run_would_overspend():
    # 3 voters, 10 to spend: the endowment starts at 3; at 9 each, z would also be bought (15 > 10).
    election = make_election({"x": 6, "y": 4, "z": 5}, [("x",), ("x",), ("y", "z")], budget=10)
    outcome = tally(election, "mes-add1")
    assert outcome.selected == ("x", "y")
    assert (outcome.endowment, outcome.runs) == (8, 7)
    assert reasons(outcome)["z"] == ("shares_insufficient", {"supporters_money": "4", "cost": "5", "endowment": "8"})


def test_when_every_supported_project_fits_mes_add1_funds_them_all():
    election = make_election({"a": 30, "b": 20, "c": 5}, [("a",), ("b",), ("a", "b")], budget=100)
    outcome = tally(election, "mes-add1")
    assert set(outcome.selected) == {"a", "b"}
    assert reasons(outcome)["c"] == ("no_support", {})


def test_the_greedy_completion_spends_what_mes_left_in_order_of_votes():
    election = make_election({"a": 30, "b": 20, "c": 5}, [("a",), ("b",), ("a", "b")], budget=100)
    outcome = tally(election, "mes-add1-greedy")
    assert outcome.spent == 50
    problem = make_election(
        {"big": 90, "small": 10, "mine": 50},
        [("big",), ("big",), ("big", "small"), ("mine",)],
        budget=100,
    )
    mes_only = tally(problem, "mes-add1")
    completed = tally(problem, "mes-add1-greedy")
    assert set(completed.selected) >= set(mes_only.selected)
    for pid in set(completed.selected) - set(mes_only.selected):
        assert completed.results[pid].reason_code == "selected_in_completion"
    assert completed.spent <= 100


def test_a_supported_project_that_costs_nothing_is_funded_first_in_mes():
    election = make_election({"free": 0, "a": 10}, [("free",), ("a",)], budget=10)
    assert tally(election, "mes-add1").selected[0] == "free"


def test_points_ballots_pay_in_proportion_to_their_points():
    # Each project has 4 points: q costs 1 per point and goes first, p 2 per point.
    election = make_election(
        {"p": 8, "q": 4}, [(("p", "q"), (3, 1)), (("q", "p"), (3, 1))], budget=12, vote_type="cumulative"
    )
    outcome = tally(election, "mes-add1")
    assert [(entry.project, entry.max_payment, entry.effective_votes) for entry in outcome.rounds] == [
        ("q", 1, 4),
        ("p", 2, 4),
    ]


def test_decimal_costs_give_the_same_outcome_as_the_same_election_in_cents():
    ballots = [("a", "b"), ("a",), ("c",), ("b", "c"), ("c",)]
    in_euros = make_election({"a": "1.10", "b": "0.55", "c": "2.25"}, ballots, budget="3.30")
    in_cents = make_election({"a": 110, "b": 55, "c": 225}, ballots, budget=330)
    exact_start = MesOptions(start="exact", add1=False)
    for rule, options in (("greedy", None), ("mes-add1", exact_start), ("mes-add1-greedy", exact_start)):
        euros, cents = tally(in_euros, rule, mes_options=options), tally(in_cents, rule, mes_options=options)
        assert euros.selected == cents.selected
        assert euros.spent * 100 == cents.spent


# ---- tie-breaking -------------------------------------------------------------------------


def test_default_tie_breaking_prefers_the_cheaper_project_then_the_more_voted():
    # "10" and "9" tie on 2 votes; "9" is cheaper and wins the last 50.
    election = make_election({"10": 50, "9": 40}, [("10",), ("10",), ("9",), ("9",)], budget=50)
    outcome = tally(election, "greedy")
    assert outcome.tie_breaking == ("min_cost", "max_votes", "id")
    assert outcome.selected == ("9",)


def test_pabutools_tie_breaking_compares_ids_as_strings():
    election = make_election({"10": 50, "9": 40}, [("10",), ("10",), ("9",), ("9",)], budget=50)
    assert tally(election, "greedy", tie_breaking="id").selected == ("10",)


def test_max_votes_breaks_a_tie_in_points():
    election = make_election(
        {"p": 10, "q": 10},
        [(("p",), (4,)), (("q",), (2,)), (("q",), (2,))],
        budget=10,
        vote_type="cumulative",
    )
    assert tally(election, "greedy").selected == ("q",)
    assert tally(election, "greedy", tie_breaking=("id",)).selected == ("p",)


def test_a_published_lottery_order_breaks_ties():
    election = make_election({"a": 10, "b": 10, "c": 10}, [("a",), ("b",), ("c",)], budget=10)
    ties = TieBreaking(chain=("order",), order=("c", "a", "b"))
    assert tally(election, "greedy", tie_breaking=ties).selected == ("c",)


def test_mes_breaks_an_exact_tie_in_effective_votes_with_the_chain():
    # a and c both have one supporter who pays it all: the same ρ, so the chain decides the order.
    election = make_election({"a": 3, "c": 2}, [("a",), ("c",)], budget=5)
    assert tally(election, "mes-add1").rounds[0].project == "c"
    assert tally(election, "mes-add1", tie_breaking="max_cost,id").rounds[0].project == "a"


def test_tie_breaking_chains_end_with_the_id_and_refuse_unknown_criteria():
    assert TieBreaking.parse("min_cost").chain == ("min_cost", "id")
    assert TieBreaking.parse(None).chain == ("min_cost", "max_votes", "id")
    with pytest.raises(ValueError, match="unknown tie-breaking criteria"):
        TieBreaking.parse("cheapest")
    with pytest.raises(ValueError, match="needs the list"):
        TieBreaking.parse("order")


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="unknown rule"):
        tally(LADDER, "borda")


# ---- explanations ---------------------------------------------------------------------------


def test_every_reason_and_rule_has_a_sentence():
    assert set(REASONS) == set(REASON_CODES)
    assert {"greedy", "greedy-no-skip", "greedy-threshold", "mes-add1", "mes-add1-greedy"} == set(RULE_DESCRIPTIONS)


@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip", "mes-add1", "mes-add1-greedy"])
def test_each_losing_project_says_why_it_lost(rule):
    outcome = tally(LADDER, rule, threshold=2)
    for result in outcome.results.values():
        sentence = explain(result)
        assert sentence.startswith("Funded" if result.selected else "Not funded: ")
    assert explain(outcome.results["d"]) == (
        "Not funded: below the threshold of 2 votes needed to be eligible (it got 1)."
    )
    assert "exactly tied" in describe(outcome)


def test_explanations_go_through_the_translate_function():
    outcome = tally(LADDER, "greedy")
    sentence = explain(outcome.results["b"], translate=lambda text: f"«{text}»")
    assert sentence == "«Not funded: it did not fit in the remaining budget (40 left, cost 50).»"


# ---- the certified floating-point runs give the exact outcome ----------------------------------


@pytest.mark.parametrize("python_loops_below", [0, 10**9], ids=["numpy", "python"])
def test_fast_add1_runs_pick_exactly_what_exact_runs_pick(monkeypatch, python_loops_below):
    monkeypatch.setattr(mes, "PYTHON_LOOPS_BELOW", python_loops_below)
    rng = random.Random(20260611)
    for _ in range(15):
        vote_type = rng.choice(["approval", "cumulative"])
        election = random_election(rng, vote_type)
        utility = "points" if vote_type == "cumulative" else "cost"
        problem = compile_problem(election, [pid for pid in election.projects if election.scores[pid] > 0], utility)
        for options in (MesOptions(utility=utility), MesOptions(utility=utility, start="exact", stop="exhaustive")):
            fast = mes.equal_shares(problem, options, lambda j, p=problem: (p.cost[j], p.ids[j]))
            exact = mes.equal_shares(problem, options, lambda j, p=problem: (p.cost[j], p.ids[j]), fast=False)
            assert (fast.selected, fast.spent, fast.endowment) == (exact.selected, exact.spent, exact.endowment)
