"""The demo's finished process has ballots whose count matches the projects it marks as funded."""

from __future__ import annotations

import io

import pytest

from budgets import demo as budgets_demo
from budgets.models import BudgetProcess, ProjectStatus
from budgets.results import demo
from budgets.results.selectors import process_results
from civicplatform.ballots.models import SecretBallot
from civicplatform.territory import demo as territory_demo

pytestmark = pytest.mark.django_db


def test_the_demo_ballots_elect_the_projects_the_demo_shows_as_funded():
    territory_demo.load_demo(io.StringIO())
    budgets_demo.load_demo(io.StringIO())

    demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())

    process = BudgetProcess.objects.get(slug=demo.PAST_SLUG)
    assert SecretBallot.objects.filter(channel="paper").count() == demo.VOTERS
    (result,) = process_results(process)
    funded = {row.project.pk for row in result.rows if row.result.selected}
    assert funded == set(process.projects.exclude(status=ProjectStatus.NOT_SELECTED).values_list("pk", flat=True))
    assert all(len(ballot.choices["projects"]) <= 3 for ballot in SecretBallot.objects.all())
