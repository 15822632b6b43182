"""Staff pages: the review queue, reviewing and merging, the shortlist, and implementation follow-up."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import Milestone, PhaseKind, Project, ProjectStatus, Support
from civicplatform.accounts.tests.factories import ResidentFactory, UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.notifications.models import Notification
from civicplatform.notifications.services import follow

from .conftest import add_phase
from .factories import MilestoneFactory, ProjectFactory
from .images import png_bytes

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def evaluator(db):
    """Not staff, but given the permission to review projects."""
    user = UserFactory(pseudonym="Évaluatrice")
    user.user_permissions.add(Permission.objects.get(codename="review_project"))
    return user


@pytest.fixture
def submitted(project):
    project.status = ProjectStatus.SUBMITTED
    project.save()
    return project


# ---------------------------------------------------------------- queue


def test_queue_sends_anonymous_to_log_in(client, process):
    response = client.get(reverse("budgets:review_queue", args=[process.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_queue_is_refused_to_residents(client, process, resident):
    client.force_login(resident)
    assert client.get(reverse("budgets:review_queue", args=[process.slug])).status_code == 403


def test_queue_is_post_free(client, process, staff):
    client.force_login(staff)
    assert client.post(reverse("budgets:review_queue", args=[process.slug])).status_code == 405


def test_queue_lists_projects_awaiting_review_for_an_evaluator(client, process, submitted, evaluator):
    client.force_login(evaluator)

    response = client.get(reverse("budgets:review_queue", args=[process.slug]))

    awaiting = soup(response).find("section", attrs={"aria-labelledby": "awaiting-heading"})
    assert awaiting.find("a", href=reverse("budgets:review", args=[process.slug, submitted.public_id]))


def test_staff_without_two_factor_are_sent_to_set_it_up(client, settings, process, staff):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = True
    client.force_login(staff)

    response = client.get(reverse("budgets:review_queue", args=[process.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# ---------------------------------------------------------------- review


@pytest.fixture
def review_url(process, submitted):
    return reverse("budgets:review", args=[process.slug, submitted.public_id])


def test_review_page_is_refused_to_residents(client, review_url, other_resident):
    client.force_login(other_resident)
    assert client.get(review_url).status_code == 403


def test_review_is_refused_once_the_vote_has_opened(client, process, review_url, staff):
    add_phase(process, PhaseKind.VOTING, start_days=-1, end_days=5)
    client.force_login(staff)
    assert client.post(review_url, {"status": "feasible"}).status_code == 403


def test_review_without_reason_for_unfeasible_is_400_with_the_error(client, review_url, submitted, staff):
    client.force_login(staff)

    response = client.post(review_url, {"status": "unfeasible", "reason": "", "final_cost": "9000"})

    assert response.status_code == 400
    reason = soup(response).find("textarea", attrs={"name": "reason"})
    assert "field--error" in reason.find_parent(class_="field")["class"]
    assert soup(response).find("input", attrs={"name": "final_cost"})["value"] == "9000"
    submitted.refresh_from_db()
    assert submitted.status == ProjectStatus.SUBMITTED


def test_an_evaluator_marks_a_project_unfeasible_and_the_author_is_told(
    client, review_url, submitted, evaluator, django_capture_on_commit_callbacks
):
    client.force_login(evaluator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url, {"status": "unfeasible", "reason": "Le terrain est privé."})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_reason) == (ProjectStatus.UNFEASIBLE, "Le terrain est privé.")
    assert AuditEvent.objects.filter(action="budgets.project_review", actor=evaluator).exists()
    assert Notification.objects.filter(recipient=submitted.author).exists()
    page = client.get(submitted.get_absolute_url())
    assert "Le terrain est privé." in page.content.decode()


def test_merging_a_duplicate_shows_merged_into_on_its_page(client, process, submitted, citywide, staff):
    target = ProjectFactory(budget=citywide, title="Forêt du parc")
    client.force_login(staff)

    response = client.post(
        reverse("budgets:merge", args=[process.slug, submitted.public_id]), {"into": str(target.public_id)}
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.merged_into == target
    page = soup(client.get(submitted.get_absolute_url()))
    assert page.find("a", href=target.get_absolute_url(), string="Forêt du parc")


def test_merging_into_an_unknown_project_is_400(client, process, submitted, staff):
    client.force_login(staff)

    response = client.post(
        reverse("budgets:merge", args=[process.slug, submitted.public_id]), {"into": str(submitted.public_id)}
    )

    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.merged_into is None


def test_merge_is_post_only(client, process, submitted, staff):
    client.force_login(staff)
    assert client.get(reverse("budgets:merge", args=[process.slug, submitted.public_id])).status_code == 405


# ---------------------------------------------------------------- shortlist


def test_shortlist_puts_the_most_supported_projects_on_the_ballot(client, process, citywide, staff):
    add_phase(process, PhaseKind.SHORTLIST, start_days=-3, end_days=-1)
    popular, quiet = ProjectFactory.create_batch(2, budget=citywide, process=process)
    Support.objects.create(project=popular, user=ResidentFactory())
    client.force_login(staff)

    response = client.post(reverse("budgets:shortlist", args=[process.slug]), {"per_budget": "1"})

    assert response.status_code == 302
    assert Project.objects.get(pk=popular.pk).status == ProjectStatus.SHORTLISTED
    assert Project.objects.get(pk=quiet.pk).status == ProjectStatus.FEASIBLE


def test_shortlist_with_a_bad_number_is_400(client, process, staff):
    add_phase(process, PhaseKind.SHORTLIST, start_days=-3, end_days=-1)
    client.force_login(staff)

    response = client.post(reverse("budgets:shortlist", args=[process.slug]), {"per_budget": "0"})

    assert response.status_code == 400
    assert soup(response).find(class_="error-summary")


def test_shortlist_is_refused_without_a_shortlist_phase(client, process, staff):
    client.force_login(staff)
    assert client.post(reverse("budgets:shortlist", args=[process.slug]), {"per_budget": "2"}).status_code == 403


# ---------------------------------------------------------------- follow-up


@pytest.fixture
def selected(process, project):
    process.phases.update(enabled=False)
    project.status = ProjectStatus.SELECTED
    project.save()
    return Project.objects.get(pk=project.pk)


@pytest.fixture
def milestones_url(process, selected):
    return reverse("budgets:milestones", args=[process.slug, selected.public_id])


def test_milestones_page_is_refused_to_residents(client, milestones_url, other_resident):
    client.force_login(other_resident)
    assert client.get(milestones_url).status_code == 403


def test_milestones_page_is_refused_for_a_project_not_selected(client, process, project, staff):
    process.phases.update(enabled=False)
    client.force_login(staff)
    assert client.get(reverse("budgets:milestones", args=[process.slug, project.public_id])).status_code == 403


def test_adding_a_milestone_tells_followers_and_the_author(
    client, milestones_url, selected, staff, other_resident, django_capture_on_commit_callbacks
):
    follow(user=other_resident, target=selected)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            milestones_url,
            {
                "date": "2026-05-04",
                "title": "Plantation",
                "status": "Travaux en cours",
                "progress": "60",
                "photo": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
                "photo_alt_text": "Des enfants plantent un arbre",
            },
        )

    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.title, milestone.progress, milestone.photo_alt_text) == (
        "Plantation",
        60,
        "Des enfants plantent un arbre",
    )
    selected.refresh_from_db()
    assert (selected.progress, selected.status) == (60, ProjectStatus.IN_PROGRESS)
    recipients = set(Notification.objects.values_list("recipient__pseudonym", flat=True))
    assert recipients == {"Camille", "Dominique"}


def test_a_milestone_over_100_percent_is_400(client, milestones_url, staff):
    client.force_login(staff)

    response = client.post(milestones_url, {"date": "2026-05-04", "title": "Plantation", "progress": "140"})

    assert response.status_code == 400
    assert soup(response).find("input", attrs={"name": "title"})["value"] == "Plantation"
    assert not Milestone.objects.exists()


def test_editing_a_milestone(client, process, selected, staff):
    milestone = MilestoneFactory(project=selected, progress=20)
    client.force_login(staff)
    url = reverse("budgets:milestone_edit", args=[process.slug, selected.public_id, milestone.public_id])

    assert client.get(url).status_code == 200
    response = client.post(url, {"date": "2026-06-01", "title": "Fin des travaux", "progress": "100"})

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Fin des travaux"
    selected.refresh_from_db()
    assert selected.status == ProjectStatus.COMPLETED


def test_deleting_a_milestone_is_post_only_and_audited(client, process, selected, staff):
    milestone = MilestoneFactory(project=selected)
    client.force_login(staff)
    url = reverse("budgets:milestone_delete", args=[process.slug, selected.public_id, milestone.public_id])

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Milestone.objects.exists()
    assert AuditEvent.objects.filter(action="budgets.milestone_delete").exists()


def test_a_milestone_of_another_project_is_404(client, process, selected, citywide, staff):
    other = MilestoneFactory(project=ProjectFactory(budget=citywide, status=ProjectStatus.SELECTED))
    client.force_login(staff)
    url = reverse("budgets:milestone_edit", args=[process.slug, selected.public_id, other.public_id])
    assert client.get(url).status_code == 404
