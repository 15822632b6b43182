from __future__ import annotations

import io

import pytest

from budgets import demo
from budgets.models import BudgetProcess, Milestone, PhaseKind, Project, ProjectStatus
from civicplatform.territory import demo as territory_demo

pytestmark = pytest.mark.django_db


def test_the_demo_opens_the_vote_now_and_keeps_a_finished_process():
    territory_demo.load_demo(io.StringIO())

    demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())

    current = BudgetProcess.objects.get(slug=demo.CURRENT_SLUG)
    assert current.is_voting_open()
    assert not current.has_phase(PhaseKind.SHORTLIST)  # present but switched off
    assert current.budgets.filter(district__isnull=True).get().amount == 500000
    assert current.budgets.filter(district__isnull=False).count() == 5
    projects = Project.objects.filter(process=current)
    assert projects.count() == 15
    assert projects.on_ballot().count() == 12
    merged = projects.get(status=ProjectStatus.MERGED)
    assert merged.merged_into is not None
    assert all(p.review_reason for p in projects.filter(status=ProjectStatus.UNFEASIBLE))
    for project in projects.exclude(budget__district=None):
        assert project.district_id == project.budget.district_id

    past = BudgetProcess.objects.get(slug=demo.PAST_SLUG)
    assert past.is_voting_over()
    assert Project.objects.get(process=past, status=ProjectStatus.COMPLETED).progress == 100
    assert Milestone.objects.filter(project__process=past).count() == 5


def test_the_demo_waits_for_the_districts():
    demo.load_demo(io.StringIO())
    assert not BudgetProcess.objects.exists()


def test_the_demo_pages_render(client):
    territory_demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())
    current = BudgetProcess.objects.get(slug=demo.CURRENT_SLUG)
    completed = Project.objects.get(status=ProjectStatus.COMPLETED)

    pages = [
        "/budgets/",
        current.get_absolute_url(),
        f"/budgets/{current.slug}/projets/",
        Project.objects.filter(process=current, status=ProjectStatus.MERGED).get().get_absolute_url(),
        completed.get_absolute_url(),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert "100 %" in client.get(completed.get_absolute_url()).content.decode()
