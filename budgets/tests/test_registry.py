"""What budgets offer the rest of the platform: menu, home page, capabilities, personal data."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from budgets.models import PhaseKind, Project, Support
from civicplatform.core import registry

from .conftest import add_phase

pytestmark = pytest.mark.django_db


def test_budgets_are_in_the_main_menu():
    section = next(s for s in registry.nav_sections() if s.key == "budgets")
    assert reverse(section.url_name) == "/budgets/"


@pytest.mark.parametrize("capability", ["followable", "commentable", "reportable"])
def test_projects_can_be_followed_commented_and_reported(capability):
    assert registry.has_capability(capability, Project)


def test_the_home_page_features_the_open_process(process):
    add_phase(process, PhaseKind.VOTING, start_days=20, end_days=30)
    items = [item for item in registry.featured_items(20) if item.url == process.get_absolute_url()]
    assert len(items) == 1
    assert items[0].title == "Budget participatif 2026"


def test_personal_data_lists_proposals_and_supports(project, resident, other_resident):
    Support.objects.create(project=project, user=resident)
    exporters = registry.personal_data_exporters()

    [proposal] = exporters["budgets.projects"](resident)
    [support] = exporters["budgets.supports"](resident)

    assert proposal["title"] == "Une forêt urbaine"
    assert proposal["estimated_cost"] == 10000
    assert support["project"] == project.public_id
    assert exporters["budgets.projects"](other_resident) == []


def test_erasure_removes_supports_but_keeps_proposals(project, resident):
    Support.objects.create(project=project, user=resident)

    registry.erasure_hooks()["budgets.supports"](resident)

    assert not Support.objects.exists()
    assert Project.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("budgets:index", {}, "/budgets/"),
        ("budgets:process", {"slug": "bp"}, "/budgets/bp/"),
        ("budgets:projects", {"slug": "bp"}, "/budgets/bp/projets/"),
        ("budgets:submit", {"slug": "bp"}, "/budgets/bp/projets/proposer/"),
        ("budgets:review_queue", {"slug": "bp"}, "/budgets/bp/examen/"),
        ("budgets:shortlist", {"slug": "bp"}, "/budgets/bp/examen/preselection/"),
    ],
)
def test_urls_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_project_urls_use_the_public_id(project):
    slug, public_id = project.process.slug, project.public_id
    for name, suffix in [
        ("budgets:project", ""),
        ("budgets:support", "soutenir/"),
        ("budgets:review", "examen/"),
        ("budgets:merge", "fusion/"),
        ("budgets:milestones", "suivi/"),
    ]:
        path = f"/budgets/{slug}/projets/{public_id}/{suffix}"
        assert reverse(name, args=[slug, public_id]) == path
        assert resolve(path).view_name == name
