"""Ballot forms: each type keeps to its limits, says clearly what is wrong, and keeps what was typed."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from budgets.models import BallotType
from budgets.tests.factories import BudgetFactory, BudgetProcessFactory, ProjectFactory
from budgets.voting.forms import (
    ApprovalBallotForm,
    CumulativeBallotForm,
    KnapsackBallotForm,
    RankedBallotForm,
    ballot_form_class,
)

pytestmark = pytest.mark.django_db


def _ballot(ballot_type, **settings):
    process = BudgetProcessFactory(ballot_type=ballot_type, **settings)
    budget = BudgetFactory(process=process, amount=100000)
    projects = [
        ProjectFactory(budget=budget, title=title, cost=cost)
        for title, cost in (("Arbres", 40000), ("Bancs", 50000), ("Composteurs", 30000), ("Douches", 20000))
    ]
    return process, budget, projects


def _data(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def _ids(projects, *indexes):
    return [str(projects[index].public_id) for index in indexes]


def test_each_ballot_type_has_its_form():
    for ballot_type, form_class in (
        (BallotType.KNAPSACK, KnapsackBallotForm),
        (BallotType.APPROVAL, ApprovalBallotForm),
        (BallotType.CUMULATIVE, CumulativeBallotForm),
        (BallotType.RANKED, RankedBallotForm),
    ):
        assert ballot_form_class(BudgetProcessFactory.build(ballot_type=ballot_type)) is form_class


# -- knapsack


def test_a_knapsack_ballot_within_the_budget_is_valid_and_stores_project_ids():
    process, budget, projects = _ballot(BallotType.KNAPSACK)
    form = KnapsackBallotForm(_data(projects=_ids(projects, 0, 1)), process=process, budget=budget, projects=projects)

    assert form.is_valid(), form.errors
    assert sorted(form.ballot_choices()["projects"]) == sorted([projects[0].pk, projects[1].pk])
    assert form.meter().remaining == 10000
    assert form.meter().describe() == "Remaining budget: 10,000 €."


def test_a_knapsack_ballot_over_the_budget_says_by_how_much_and_keeps_the_ticks():
    process, budget, projects = _ballot(BallotType.KNAPSACK)
    form = KnapsackBallotForm(
        _data(projects=_ids(projects, 0, 1, 2)), process=process, budget=budget, projects=projects
    )

    assert not form.is_valid()
    message = form.errors["projects"][0]
    assert "120,000 €" in message
    assert "20,000 €" in message
    assert "100,000 €" in message
    assert form.meter().over
    assert form.meter().describe() == "Over budget by 20,000 €."
    html = str(form["projects"])
    assert html.count("checked") == 3


def test_an_empty_knapsack_ballot_asks_for_a_project():
    process, budget, projects = _ballot(BallotType.KNAPSACK)
    form = KnapsackBallotForm(_data(), process=process, budget=budget, projects=projects)

    assert not form.is_valid()
    assert form.errors["projects"] == ["Choose at least 1 project."]


def test_a_project_that_left_the_ballot_is_refused_with_a_clear_message():
    process, budget, projects = _ballot(BallotType.KNAPSACK)
    form = KnapsackBallotForm(
        _data(projects=["00000000-0000-0000-0000-000000000000"]), process=process, budget=budget, projects=projects
    )

    assert not form.is_valid()
    assert "not on this ballot" in form.errors["projects"][0]


def test_knapsack_options_carry_their_cost_for_the_live_meter():
    process, budget, projects = _ballot(BallotType.KNAPSACK)
    html = str(KnapsackBallotForm(process=process, budget=budget, projects=projects))

    assert 'data-cost="40000"' in html
    assert "40,000 €" in html


# -- approval


def test_an_approval_ballot_respects_the_minimum_and_maximum():
    process, budget, projects = _ballot(BallotType.APPROVAL, min_projects=2, max_projects=3)

    too_few = ApprovalBallotForm(_data(projects=_ids(projects, 0)), process=process, budget=budget, projects=projects)
    too_many = ApprovalBallotForm(
        _data(projects=_ids(projects, 0, 1, 2, 3)), process=process, budget=budget, projects=projects
    )
    right = ApprovalBallotForm(
        _data(projects=_ids(projects, 0, 1, 2)), process=process, budget=budget, projects=projects
    )

    assert too_few.errors["projects"] == ["Choose at least 2 projects."]
    assert too_many.errors["projects"] == ["Choose at most 3 projects (you chose 4)."]
    assert right.is_valid()
    # Approval ballots are not limited by cost.
    assert right.meter().describe() == "Projects chosen: 3 out of 3 at most."


# -- cumulative


def test_a_cumulative_ballot_spreads_points_most_points_first():
    process, budget, projects = _ballot(BallotType.CUMULATIVE, points_total=10, max_points_per_project=5)
    data = _data(**{f"points_{projects[0].public_id}": "2", f"points_{projects[2].public_id}": "5"})
    form = CumulativeBallotForm(data, process=process, budget=budget, projects=projects)

    assert form.is_valid(), form.errors
    assert form.ballot_choices() == {"projects": [projects[2].pk, projects[0].pk], "points": [5, 2]}
    assert form.meter().describe() == "Points left to give: 3."


def test_a_cumulative_ballot_refuses_too_many_points_overall_and_per_project_keeping_the_numbers():
    process, budget, projects = _ballot(BallotType.CUMULATIVE, points_total=10, max_points_per_project=5)
    per_project = CumulativeBallotForm(
        _data(**{f"points_{projects[0].public_id}": "6"}), process=process, budget=budget, projects=projects
    )
    overall = CumulativeBallotForm(
        _data(**{f"points_{p.public_id}": "4" for p in projects[:3]}), process=process, budget=budget, projects=projects
    )

    assert per_project.errors[f"points_{projects[0].public_id}"] == ["At most 5 points per project."]
    assert overall.non_field_errors() == ["You gave 12 points but you have 10: take 2 away."]
    assert overall.meter().describe() == "Points over the limit: 2."
    assert 'value="4"' in str(overall[f"points_{projects[0].public_id}"])


def test_a_cumulative_ballot_needs_at_least_one_point():
    process, budget, projects = _ballot(BallotType.CUMULATIVE, points_total=10)
    form = CumulativeBallotForm(_data(), process=process, budget=budget, projects=projects)

    assert form.non_field_errors() == ["Give at least one point to a project."]


# -- ranked


def test_a_ranked_ballot_keeps_the_order_of_preference():
    process, budget, projects = _ballot(BallotType.RANKED, rank_k=3)
    data = _data(rank_1=str(projects[2].public_id), rank_2=str(projects[0].public_id))
    form = RankedBallotForm(data, process=process, budget=budget, projects=projects)

    assert form.is_valid(), form.errors
    assert form.ballot_choices() == {"projects": [projects[2].pk, projects[0].pk]}
    assert list(form.fields) == ["rank_1", "rank_2", "rank_3"]


def test_a_ranked_ballot_refuses_a_project_twice_and_gaps():
    process, budget, projects = _ballot(BallotType.RANKED, rank_k=3)
    twice = RankedBallotForm(
        _data(rank_1=str(projects[0].public_id), rank_2=str(projects[0].public_id)),
        process=process,
        budget=budget,
        projects=projects,
    )
    gap = RankedBallotForm(
        _data(rank_1=str(projects[0].public_id), rank_3=str(projects[1].public_id)),
        process=process,
        budget=budget,
        projects=projects,
    )

    assert twice.errors["rank_2"] == ["“Arbres” is already your choice number 1."]
    assert "choice number 2 is empty" in gap.errors["rank_2"][0]
    assert f'value="{projects[1].public_id}" selected' in str(gap["rank_3"])


# -- changing a ballot


def test_a_stored_ballot_is_shown_back_in_the_form_for_every_type():
    cases = [
        (BallotType.KNAPSACK, {}, lambda p: {"projects": [p[0].pk, p[2].pk]}),
        (BallotType.CUMULATIVE, {"points_total": 10}, lambda p: {"projects": [p[1].pk], "points": [7]}),
        (BallotType.RANKED, {"rank_k": 2}, lambda p: {"projects": [p[3].pk, p[1].pk]}),
    ]
    for ballot_type, settings, stored in cases:
        process, budget, projects = _ballot(ballot_type, **settings)
        form_class = ballot_form_class(process)
        initial = form_class.initial_from(stored(projects), projects)
        form = form_class(process=process, budget=budget, projects=projects, initial=initial)
        resubmitted = _data(**initial)

        bound = form_class(resubmitted, process=process, budget=budget, projects=projects)
        assert bound.is_valid(), (ballot_type, bound.errors)
        assert sorted(bound.ballot_choices()["projects"]) == sorted(stored(projects)["projects"])
        assert form.meter().used == bound.meter().used


def test_the_receipt_field_accepts_a_sloppily_typed_code_and_refuses_a_short_one():
    process, budget, projects = _ballot(BallotType.KNAPSACK)
    ok = KnapsackBallotForm(
        _data(projects=_ids(projects, 0), receipt="k7qf 2m9x ht4p w8cz"),
        process=process,
        budget=budget,
        projects=projects,
        with_receipt=True,
    )
    short = KnapsackBallotForm(
        _data(projects=_ids(projects, 0), receipt="K7QF"),
        process=process,
        budget=budget,
        projects=projects,
        with_receipt=True,
    )

    assert ok.is_valid()
    assert ok.cleaned_data["receipt"] == "K7QF-2M9X-HT4P-W8CZ"
    assert "16 letters and digits" in short.errors["receipt"][0]
