"""Voting fixtures: a process whose vote is open now, a city-wide budget of 100 000 € and
a district budget, each with projects on the ballot."""

from __future__ import annotations

import pytest
from django.utils import translation

from budgets.models import BallotType, PhaseKind, ProjectStatus, VotingScope
from budgets.tests.conftest import add_phase
from budgets.tests.factories import BudgetFactory, BudgetProcessFactory, ProjectFactory


@pytest.fixture
def voting_process(db):
    process = BudgetProcessFactory(
        slug="vote-2026",
        title="Budget participatif 2026",
        ballot_type=BallotType.KNAPSACK,
        voting_scope=VotingScope.OWN_DISTRICT_AND_CITYWIDE,
    )
    add_phase(process, PhaseKind.VOTING, start_days=-2, end_days=5)
    return process


@pytest.fixture
def city_budget(voting_process):
    return BudgetFactory(process=voting_process, slug="ville", name="Toute la ville", amount=100000)


@pytest.fixture
def city_projects(city_budget):
    """Three projects costing 40 000, 50 000 and 30 000 € (all three: 120 000 €, over budget)."""
    return [
        ProjectFactory(budget=city_budget, title="A - Arbres", cost=40000, status=ProjectStatus.FEASIBLE),
        ProjectFactory(budget=city_budget, title="B - Bancs", cost=50000, status=ProjectStatus.FEASIBLE),
        ProjectFactory(budget=city_budget, title="C - Composteurs", cost=30000, status=ProjectStatus.FEASIBLE),
    ]


@pytest.fixture
def district_ballot_budget(voting_process, district):
    budget = BudgetFactory(process=voting_process, slug="nord", name="Quartier Nord", district=district, amount=60000)
    ProjectFactory(budget=budget, title="D - Jardin", cost=20000)
    return budget


def choose(projects, *indexes) -> list[str]:
    return [str(projects[index].public_id) for index in indexes]


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Assertions read the English source strings; test_french.py checks the French rendering."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
