from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets import services
from budgets.models import PhaseKind, Project, ProjectStatus, Support
from civicplatform.core.models import AuditEvent
from civicplatform.notifications.models import Notification
from civicplatform.notifications.services import follow

from .conftest import add_phase
from .factories import BudgetFactory, MilestoneFactory, ProjectFactory
from .images import png_bytes

pytestmark = pytest.mark.django_db


def _submit(process, author, budget, **overrides):
    values = {
        "process": process,
        "author": author,
        "budget": budget,
        "title": "  Des bancs au bord de l’eau ",
        "summary": "Cinq bancs.",
        "description": "Cinq bancs face à la Loire.",
        "cost": 7500,
    }
    values.update(overrides)
    return services.project_submit(**values)


# ---------------------------------------------------------------- submission


def test_a_resident_submits_a_project_awaiting_review(process, citywide, resident):
    photo = SimpleUploadedFile("banc.png", png_bytes(), content_type="image/png")

    project = _submit(process, resident, citywide, photos=[services.PhotoUpload(file=photo, alt_text="Un banc")])

    assert project.status == ProjectStatus.SUBMITTED
    assert project.title == "Des bancs au bord de l’eau"
    assert project.author == resident
    assert [p.alt_text for p in project.photos.all()] == ["Un banc"]
    assert not project.photos.get().image.name.endswith("banc.png")  # random file names
    event = AuditEvent.objects.get(action="budgets.project_submit")
    assert event.actor == resident
    assert event.target_id == str(project.pk)


def test_a_project_in_a_district_budget_takes_its_district(process, district_budget, resident, district):
    project = _submit(process, resident, district_budget)
    assert project.district == district


def test_a_district_budget_refuses_a_project_elsewhere(process, district_budget, resident):
    from civicplatform.territory.tests.factories import DistrictFactory

    with pytest.raises(ValidationError) as error:
        _submit(process, resident, district_budget, district=DistrictFactory())
    assert "district" in error.value.message_dict


def test_a_project_may_not_cost_more_than_its_budget(process, citywide, resident):
    with pytest.raises(ValidationError) as error:
        _submit(process, resident, citywide, cost=citywide.amount + 1)
    assert "cost" in error.value.message_dict
    assert not Project.objects.exists()


def test_a_budget_of_another_process_is_refused(process, resident):
    with pytest.raises(ValidationError):
        _submit(process, resident, BudgetFactory())


def test_submission_is_refused_once_its_phase_has_closed(process, citywide, resident):
    phase = process.phases.get()
    with time_machine.travel(phase.ends_at, tick=False), pytest.raises(PermissionDenied) as error:
        _submit(process, resident, citywide)
    assert "s’est terminé" in str(error.value)
    assert not Project.objects.exists()


def test_a_citizen_not_verified_may_not_submit(process, citywide, citizen):
    with pytest.raises(PermissionDenied):
        _submit(process, citizen, citywide)


def test_desk_submission_is_audited_with_the_agent_and_the_person(process, citywide, resident, staff):
    project = _submit(process, resident, citywide, actor=staff, on_behalf_of=resident)

    event = AuditEvent.objects.get(action="budgets.project_submit")
    assert (event.actor, event.on_behalf_of) == (staff, resident)
    assert project.author == resident


# ---------------------------------------------------------------- supports


@pytest.fixture
def shortlist_open(process):
    add_phase(process, PhaseKind.SHORTLIST, start_days=-1, end_days=3)
    return type(process).objects.get(pk=process.pk)


def test_support_toggles_on_and_off(shortlist_open, citywide, other_resident):
    project = ProjectFactory(budget=citywide, process=shortlist_open)

    assert services.project_support_toggle(project=project, person=other_resident) is True
    assert Support.objects.filter(project=project, user=other_resident).count() == 1
    assert services.project_support_toggle(project=project, person=other_resident) is False
    assert not Support.objects.exists()
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["budgets.support", "budgets.support_withdraw"]


def test_support_is_refused_without_a_shortlist_phase(process, project, other_resident):
    with pytest.raises(PermissionDenied):
        services.project_support_toggle(project=project, person=other_resident)


# ---------------------------------------------------------------- review


def test_review_marks_a_project_not_feasible_with_a_public_reason(project, staff, django_capture_on_commit_callbacks):
    project.status = ProjectStatus.SUBMITTED
    project.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.project_review(
            project=project, reviewer=staff, status=ProjectStatus.UNFEASIBLE, reason="Terrain privé."
        )

    project.refresh_from_db()
    assert project.status == ProjectStatus.UNFEASIBLE
    assert project.review_reason == "Terrain privé."
    assert project.reviewed_at is not None
    assert AuditEvent.objects.get(action="budgets.project_review").reason == "Terrain privé."
    assert callbacks
    notification = Notification.objects.get(recipient=project.author)
    assert project.title in notification.title


def test_notifications_wait_for_the_commit(project, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.project_review(project=project, reviewer=staff, status=ProjectStatus.UNFEASIBLE, reason="Non.")
        assert not Notification.objects.exists()


def test_a_project_not_feasible_needs_a_reason(project, staff):
    with pytest.raises(ValidationError) as error:
        services.project_review(project=project, reviewer=staff, status=ProjectStatus.UNFEASIBLE, reason=" ")
    assert "reason" in error.value.message_dict


def test_review_records_the_cost_estimated_by_the_services(project, staff):
    services.project_review(project=project, reviewer=staff, status=ProjectStatus.FEASIBLE, final_cost=12500)
    project.refresh_from_db()
    assert (project.cost, project.final_cost, project.ballot_cost) == (10000, 12500, 12500)


def test_a_resident_may_not_review(project, other_resident):
    with pytest.raises(PermissionDenied):
        services.project_review(project=project, reviewer=other_resident, status=ProjectStatus.FEASIBLE)


def test_review_is_frozen_once_the_vote_has_opened(process, project, staff):
    add_phase(process, PhaseKind.VOTING, start_days=-1, end_days=3)
    project = Project.objects.get(pk=project.pk)
    with pytest.raises(PermissionDenied):
        services.project_review(project=project, reviewer=staff, status=ProjectStatus.UNFEASIBLE, reason="x")


def test_merging_moves_supports_and_followers_learn_it(
    project, citywide, staff, other_resident, resident, django_capture_on_commit_callbacks
):
    target = ProjectFactory(budget=citywide, title="Le grand projet")
    Support.objects.create(project=project, user=other_resident)
    Support.objects.create(project=project, user=resident)
    Support.objects.create(project=target, user=resident)
    follow(user=other_resident, target=project)

    with django_capture_on_commit_callbacks(execute=True):
        services.project_merge(project=project, into=target, reviewer=staff)

    project.refresh_from_db()
    assert project.status == ProjectStatus.MERGED
    assert project.merged_into == target
    assert "Le grand projet" in project.review_reason
    assert set(target.supports.values_list("user__pseudonym", flat=True)) == {"Camille", "Dominique"}
    assert not project.supports.exists()
    assert AuditEvent.objects.filter(action="budgets.project_merge").count() == 1
    assert set(Notification.objects.values_list("recipient__pseudonym", flat=True)) == {"Camille", "Dominique"}


def test_a_project_cannot_be_merged_into_itself(project, staff):
    with pytest.raises(ValidationError):
        services.project_merge(project=project, into=project, reviewer=staff)


# ---------------------------------------------------------------- shortlist


def test_shortlist_keeps_the_most_supported_projects_and_ties_at_the_cut(shortlist_open, citywide, staff):
    from civicplatform.accounts.tests.factories import ResidentFactory

    people = ResidentFactory.create_batch(3)
    projects = ProjectFactory.create_batch(4, budget=citywide, process=shortlist_open)
    for project, count in zip(projects, [3, 1, 1, 0], strict=True):
        for person in people[:count]:
            Support.objects.create(project=project, user=person)

    chosen = services.process_shortlist_select(process=shortlist_open, actor=staff, per_budget=2)

    assert {p.pk for p in chosen} == {projects[0].pk, projects[1].pk, projects[2].pk}
    assert Project.objects.get(pk=projects[3].pk).status == ProjectStatus.FEASIBLE
    assert AuditEvent.objects.filter(action="budgets.shortlist_select").exists()


# ---------------------------------------------------------------- follow-up


@pytest.fixture
def voted(process, citywide, resident):
    add_phase(process, PhaseKind.VOTING, start_days=-10, end_days=-5)
    return ProjectFactory(budget=citywide, status=ProjectStatus.SELECTED, author=resident)


def test_a_milestone_updates_progress_and_tells_followers_and_author(
    voted, staff, other_resident, django_capture_on_commit_callbacks
):
    follow(user=other_resident, target=voted)
    with django_capture_on_commit_callbacks(execute=True):
        services.milestone_create(
            project=voted, actor=staff, date=voted.created_at.date(), title="Travaux lancés", progress=40
        )

    voted.refresh_from_db()
    assert (voted.progress, voted.status) == (40, ProjectStatus.IN_PROGRESS)
    recipients = set(Notification.objects.values_list("recipient__pseudonym", flat=True))
    assert recipients == {"Camille", "Dominique"}
    assert AuditEvent.objects.filter(action="budgets.milestone_create").exists()


def test_a_milestone_at_100_percent_completes_the_project(voted, staff):
    services.milestone_create(project=voted, actor=staff, date=voted.created_at.date(), title="Fini", progress=100)
    voted.refresh_from_db()
    assert voted.status == ProjectStatus.COMPLETED


def test_deleting_the_last_milestone_resets_progress(voted, staff):
    milestone = MilestoneFactory(project=voted, progress=50)
    services.milestone_delete(milestone=milestone, actor=staff)
    voted.refresh_from_db()
    assert (voted.progress, voted.status) == (0, ProjectStatus.SELECTED)


def test_milestones_are_refused_before_the_vote_is_over(project, staff):
    project.status = ProjectStatus.SELECTED
    project.save()
    add_phase(project.process, PhaseKind.VOTING, start_days=-1, end_days=5)
    project = Project.objects.get(pk=project.pk)
    with pytest.raises(PermissionDenied):
        services.milestone_create(project=project, actor=staff, date=project.created_at.date(), title="x")


def test_a_milestone_photo_needs_a_description(voted, staff):
    photo = SimpleUploadedFile("chantier.png", png_bytes(), content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.milestone_create(
            project=voted, actor=staff, date=voted.created_at.date(), title="Chantier", photo=photo
        )
    assert "photo_alt_text" in error.value.message_dict
