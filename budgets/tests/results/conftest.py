"""Results fixtures: a vote that closed yesterday, with ballots cast by residents and on paper."""

from __future__ import annotations

import pytest
from django.utils import translation

from budgets.models import BallotType, PhaseKind, ProjectStatus, VotingScope
from budgets.tests.conftest import add_phase
from budgets.tests.factories import BudgetFactory, BudgetProcessFactory, ProjectFactory
from civicplatform.accounts.tests.factories import ResidentFactory
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import Channel

# The open vote of the voting tests, to check what is hidden before the close.
from ..voting.conftest import city_budget, voting_process  # noqa: F401


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def closed_process(db):
    process = BudgetProcessFactory(
        slug="bp-2025",
        title="Budget participatif 2025",
        ballot_type=BallotType.KNAPSACK,
        voting_scope=VotingScope.ALL,
    )
    add_phase(process, PhaseKind.VOTING, start_days=-20, end_days=-1)
    return process


@pytest.fixture
def counted(closed_process, district):
    """100 000 €; A 40 000 € (7 votes), B 50 000 € (6), C 30 000 € (4), D 90 000 € (none).

    Greedy funds A and B (90 000 €); C does not fit in the 10 000 € left; D has no support.
    Nine ballots come from residents of `district`, eight from paper ballots without names.
    Returns (budget, projects, receipts of the residents).
    """
    budget = BudgetFactory(process=closed_process, slug="ville", name="Toute la ville", amount=100000)
    projects = [
        ProjectFactory(budget=budget, title=title, cost=cost, status=ProjectStatus.SHORTLISTED)
        for title, cost in (
            ("A - Arbres", 40000),
            ("B - Bancs", 50000),
            ("C - Composteurs", 30000),
            ("D - Dôme", 90000),
        )
    ]
    a, b, c, _d = (project.pk for project in projects)
    named = [[a, b]] * 5 + [[a, c]] * 2 + [[c]] * 2
    anonymous = [[b]]
    receipts = []
    for choice in named:
        person = ResidentFactory(district=district, birth_year=1980)
        receipts.append(ballots.ballot_cast(election=budget, person=person, choices={"projects": choice}))
    ballots.ballots_import(
        election=budget, choices=[{"projects": item} for item in anonymous], channel=Channel.PAPER, actor=None
    )
    return budget, projects, receipts
