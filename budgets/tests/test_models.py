from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from budgets.models import BallotType, BudgetProcess, PhaseKind, Project, ProjectStatus, Support, TallyRule

from .conftest import add_phase
from .factories import BudgetProcessFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_current_phase_skips_disabled_phases(process):
    add_phase(process, PhaseKind.INFORMATION, start_days=-10, end_days=10, enabled=False)
    process = BudgetProcess.objects.prefetch_related("phases").get(pk=process.pk)

    assert process.current_phase().kind == PhaseKind.SUBMISSION
    assert not process.has_phase(PhaseKind.INFORMATION)


def test_voting_is_open_only_between_its_dates(process):
    add_phase(process, PhaseKind.VOTING, start_days=1, end_days=5)
    assert not process.is_voting_open()
    assert not process.has_voting_started()
    assert not process.is_voting_over()


def test_a_process_without_a_vote_counts_as_voted(process):
    assert process.is_voting_over()


def test_on_ballot_takes_feasible_projects_without_a_shortlist(citywide):
    feasible = ProjectFactory(budget=citywide, status=ProjectStatus.FEASIBLE)
    ProjectFactory(budget=citywide, status=ProjectStatus.UNFEASIBLE)
    ProjectFactory(budget=citywide, status=ProjectStatus.SUBMITTED)
    selected = ProjectFactory(budget=citywide, status=ProjectStatus.SELECTED)

    assert set(Project.objects.on_ballot()) == {feasible, selected}
    assert feasible.is_on_ballot


def test_on_ballot_takes_only_shortlisted_projects_with_a_shortlist(process, citywide):
    add_phase(process, PhaseKind.SHORTLIST, start_days=-3, end_days=-1)
    feasible = ProjectFactory(budget=citywide, status=ProjectStatus.FEASIBLE)
    shortlisted = ProjectFactory(budget=citywide, status=ProjectStatus.SHORTLISTED)

    assert list(Project.objects.on_ballot()) == [shortlisted]
    feasible.process.refresh_from_db()
    assert not Project.objects.get(pk=feasible.pk).is_on_ballot


def test_a_disabled_shortlist_does_not_restrict_the_ballot(process, citywide):
    add_phase(process, PhaseKind.SHORTLIST, start_days=-3, end_days=-1, enabled=False)
    feasible = ProjectFactory(budget=citywide, status=ProjectStatus.FEASIBLE)

    assert list(Project.objects.on_ballot()) == [feasible]


def test_one_support_per_person_and_project(project, other_resident):
    Support.objects.create(project=project, user=other_resident)
    with pytest.raises(IntegrityError):
        Support.objects.create(project=project, user=other_resident)


def test_a_cumulative_ballot_needs_points():
    process = BudgetProcessFactory.build(ballot_type=BallotType.CUMULATIVE, tally_rule=TallyRule.GREEDY)
    with pytest.raises(ValidationError) as error:
        process.clean()
    assert "points_total" in error.value.message_dict


def test_ballot_cost_is_the_reviewed_cost_when_there_is_one(citywide):
    project = ProjectFactory(budget=citywide, cost=10000, final_cost=12000)
    assert project.ballot_cost == 12000
    project.final_cost = None
    assert project.ballot_cost == 10000


def test_project_url_uses_the_public_id(project):
    assert str(project.public_id) in project.get_absolute_url()
    assert f"/{project.pk}/" not in project.get_absolute_url()
