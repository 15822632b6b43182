from __future__ import annotations

import pytest

from budgets import selectors
from budgets.models import PhaseKind, VotingScope
from civicplatform.territory.tests.factories import DistrictFactory

from .conftest import add_phase
from .factories import BudgetFactory, BudgetProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def budgets(district):
    process = BudgetProcessFactory()
    other = DistrictFactory()
    return {
        "process": process,
        "city": BudgetFactory(process=process, slug="ville"),
        "own": BudgetFactory(process=process, slug="nord", district=district),
        "other": BudgetFactory(process=process, slug="sud", district=other),
    }


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (VotingScope.OWN_DISTRICT, {"nord"}),
        (VotingScope.OWN_DISTRICT_AND_CITYWIDE, {"ville", "nord"}),
        (VotingScope.ANY_ONE, {"ville", "nord", "sud"}),
        (VotingScope.ALL, {"ville", "nord", "sud"}),
    ],
)
def test_budgets_for_voter_follows_the_voting_scope(budgets, resident, scope, expected):
    process = budgets["process"]
    process.voting_scope = scope

    assert {budget.slug for budget in selectors.budgets_for_voter(process, resident)} == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (VotingScope.OWN_DISTRICT, set()),
        (VotingScope.OWN_DISTRICT_AND_CITYWIDE, {"ville"}),
        (VotingScope.ALL, {"ville", "nord", "sud"}),
    ],
)
def test_a_person_without_a_district_only_gets_city_wide_budgets(budgets, resident, scope, expected):
    resident.district = None
    process = budgets["process"]
    process.voting_scope = scope

    assert {budget.slug for budget in selectors.budgets_for_voter(process, resident)} == expected


def test_process_lists_separate_current_and_past():
    current = BudgetProcessFactory(title="En cours")
    add_phase(current, PhaseKind.VOTING, start_days=-1, end_days=5)
    coming = BudgetProcessFactory(title="À venir")
    add_phase(coming, PhaseKind.INFORMATION, start_days=3, end_days=5)
    past = BudgetProcessFactory(title="Passé")
    add_phase(past, PhaseKind.VOTING, start_days=-10, end_days=-5)
    add_phase(past, PhaseKind.IMPLEMENTATION, start_days=-5, end_days=50, enabled=False)

    current_list, past_list = selectors.process_lists()

    assert {p.title for p in current_list} == {"En cours", "À venir"}
    assert [p.title for p in past_list] == ["Passé"]


def test_featured_processes_say_which_phase_is_open_until_when():
    process = BudgetProcessFactory(title="Budget 2026")
    add_phase(process, PhaseKind.VOTING, start_days=-1, end_days=5)

    [item] = selectors.featured_processes(6)

    assert item.title == "Budget 2026"
    assert item.url == process.get_absolute_url()
    assert "Vote" in str(item.status) or "vote" in str(item.status).lower()


def test_submit_decision_says_when_submission_opens(resident):
    process = BudgetProcessFactory()
    add_phase(process, PhaseKind.SUBMISSION, start_days=2, end_days=10)

    decision = selectors.submit_decision(process, resident)

    assert not decision.allowed
    assert "opens on" in decision.reason or "ouvre le" in decision.reason


def test_submit_decision_gives_the_eligibility_reason(process, citizen):
    decision = selectors.submit_decision(process, citizen)

    assert not decision.allowed
    assert decision.code == "resident"
