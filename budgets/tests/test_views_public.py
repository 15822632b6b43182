"""Public pages: process index and page, project list (filters, map, query count), project page."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import Milestone, PhaseKind, ProjectStatus
from civicplatform.moderation.models import ModerationState

from .conftest import add_phase
from .factories import BudgetProcessFactory, CategoryFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    # French groups thousands with a no-break space: compare with plain spaces.
    return BeautifulSoup(response.content.decode().replace("\u00a0", " ").replace("\u202f", " "), "html.parser")


# ---------------------------------------------------------------- index


def test_index_lists_current_and_past_processes(client, process):
    past = BudgetProcessFactory(title="Budget 2020")
    add_phase(past, PhaseKind.VOTING, start_days=-30, end_days=-20)

    response = client.get(reverse("budgets:index"))

    assert response.status_code == 200
    html = soup(response)
    assert len(html.find_all("h1")) == 1
    current = html.find("section", attrs={"aria-labelledby": "current-processes"})
    past_section = html.find("section", attrs={"aria-labelledby": "past-processes"})
    assert "Budget participatif 2026" in current.get_text()
    assert "Budget 2020" in past_section.get_text()


def test_index_refuses_post(client):
    assert client.post(reverse("budgets:index")).status_code == 405


# ---------------------------------------------------------------- process page


def test_process_page_shows_the_timeline_budgets_and_what_a_resident_can_do(client, process, citywide, resident):
    add_phase(process, PhaseKind.VOTING, start_days=20, end_days=30)
    client.force_login(resident)

    response = client.get(process.get_absolute_url())

    html = soup(response)
    timeline = html.find("ol", class_="phase-timeline")
    items = timeline.find_all("li")
    assert [item.find("h3").get_text(" ", strip=True).split(" ")[0] for item in items][:1] == ["Dépôt"]
    assert items[0]["aria-current"] == "step"
    assert "500 000 €" in html.find("section", attrs={"aria-labelledby": "budgets-heading"}).get_text()
    now_box = html.find("section", attrs={"aria-labelledby": "now-heading"})
    assert now_box.find("a", href=reverse("budgets:submit", args=[process.slug]))


def test_process_page_tells_an_unverified_citizen_why_not(client, process, citizen):
    client.force_login(citizen)

    response = client.get(process.get_absolute_url())

    now_box = soup(response).find("section", attrs={"aria-labelledby": "now-heading"})
    assert "habitants vérifiés" in now_box.get_text()
    assert not now_box.find("a", href=reverse("budgets:submit", args=[process.slug]))


def test_process_page_invites_anonymous_visitors_to_log_in(client, process):
    response = client.get(process.get_absolute_url())
    now_box = soup(response).find("section", attrs={"aria-labelledby": "now-heading"})
    assert now_box.find("a", href=lambda href: href and href.startswith(reverse("account_login")))


def test_unknown_process_is_404(client):
    assert client.get(reverse("budgets:process", args=["inconnu"])).status_code == 404


# ---------------------------------------------------------------- project list


@pytest.fixture
def listed(process, citywide, district_budget, district):
    category = CategoryFactory(process=process, name="Mobilités", slug="mobilites")
    return {
        "bike": ProjectFactory(budget=citywide, title="Piste cyclable", category=category),
        "tree": ProjectFactory(budget=district_budget, district=district, title="Arbres du quartier"),
        "pool": ProjectFactory(budget=citywide, title="Piscine", status=ProjectStatus.UNFEASIBLE),
    }


def _titles(response) -> list[str]:
    return [h.get_text(strip=True) for h in soup(response).select(".project-list .project-card__title")]


def test_project_list_shows_every_project_by_default(client, process, listed):
    response = client.get(reverse("budgets:projects", args=[process.slug]))
    assert response.status_code == 200
    assert set(_titles(response)) == {"Piste cyclable", "Arbres du quartier", "Piscine"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"budget": "quartier"}, {"Arbres du quartier"}),
        ({"category": "mobilites"}, {"Piste cyclable"}),
        ({"status": "unfeasible"}, {"Piscine"}),
        ({"q": "cyclable"}, {"Piste cyclable"}),
        ({"on_ballot": "1"}, {"Piste cyclable", "Arbres du quartier"}),
    ],
)
def test_project_list_filters(client, process, listed, query, expected):
    response = client.get(reverse("budgets:projects", args=[process.slug]), query)
    assert set(_titles(response)) == expected


def test_project_list_filters_by_district(client, process, listed, district):
    response = client.get(reverse("budgets:projects", args=[process.slug]), {"district": district.slug})
    assert set(_titles(response)) == {"Arbres du quartier"}


def test_an_unknown_filter_value_is_a_400_with_the_error_shown(client, process, listed):
    response = client.get(reverse("budgets:projects", args=[process.slug]), {"status": "nope"})

    assert response.status_code == 400
    assert soup(response).find(class_="error-summary")
    assert set(_titles(response)) == {"Piste cyclable", "Arbres du quartier", "Piscine"}


def test_project_list_refuses_post(client, process):
    assert client.post(reverse("budgets:projects", args=[process.slug])).status_code == 405


def test_project_list_queries_do_not_grow_with_500_projects(
    client, process, citywide, resident, django_assert_max_num_queries
):
    add_phase(process, PhaseKind.SHORTLIST, start_days=-1, end_days=3)
    ProjectFactory.create_batch(30, budget=citywide, process=process)
    client.force_login(resident)
    url = reverse("budgets:projects", args=[process.slug])
    client.get(url)  # warm the session and the site caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ProjectFactory.create_batch(470, budget=citywide, process=process)

    # About half of these come from the site chrome (branding, menus) in base.html.
    with django_assert_max_num_queries(len(few)) as captured:
        response = client.get(url, {"page": 3})

    assert response.status_code == 200
    assert len(_titles(response)) == 24
    assert len(captured) <= 25


def test_the_map_island_and_its_points_follow_the_list(client, settings, process, project):
    settings.MAP_ENABLED = True
    ProjectFactory(budget=project.budget, title="Sans lieu")

    response = client.get(reverse("budgets:projects", args=[process.slug]))

    html = soup(response)
    island = html.find(attrs={"data-widget": "project-map"})
    assert island.has_attr("hidden")  # shown by the script only
    points = json.loads(html.find("script", id="project-map-points").string)
    assert [point["title"] for point in points] == ["Une forêt urbaine"]
    assert points[0]["url"] == project.get_absolute_url()
    assert {"Une forêt urbaine", "Sans lieu"} <= set(_titles(response))
    assert html.find("script", src=lambda src: src and "leaflet" in src)


def test_no_map_and_no_tiles_when_maps_are_off(client, process, project):
    response = client.get(reverse("budgets:projects", args=[process.slug]))

    html = soup(response)
    assert not html.find(attrs={"data-widget": "project-map"})
    assert not html.find("script", src=lambda src: src and "leaflet" in src)
    assert b"tile.openstreetmap" not in response.content


# ---------------------------------------------------------------- project page


def test_project_page_shows_cost_status_place_photos_and_tools(client, process, project, other_resident):
    project.address = "Parc des Tilleuls"
    project.status = ProjectStatus.UNFEASIBLE
    project.review_reason = "Terrain privé."
    project.save()
    project.photos.create(image="budgets/projects/x.png", alt_text="Le parc en été")
    client.force_login(other_resident)

    response = client.get(project.get_absolute_url())

    html = soup(response)
    assert html.find("h1").get_text() == "Une forêt urbaine"
    facts = html.find("dl", class_="project-facts").get_text(" ", strip=True)
    assert "10 000 €" in facts
    assert "Parc des Tilleuls" in facts
    assert "Terrain privé." in html.find("section", attrs={"aria-labelledby": "review-heading"}).get_text()
    assert html.find("img", alt="Le parc en été")
    assert html.find("form", class_="follow-form")
    assert html.find("a", class_="report-link")
    assert html.find(id="comments") or html.find(class_="comments")


def test_project_page_shows_milestones_with_progress_as_text(client, process, project):
    project.status = ProjectStatus.IN_PROGRESS
    project.progress = 40
    project.save()
    Milestone.objects.create(project=project, date=project.created_at.date(), title="Travaux", progress=40)

    response = client.get(project.get_absolute_url())

    section = soup(response).find("section", attrs={"aria-labelledby": "followup-heading"})
    bars = section.find_all("progress")
    assert [bar["value"] for bar in bars] == ["40", "40"]
    assert "40 %" in section.get_text()
    assert all(section.find("label", attrs={"for": bar["id"]}) for bar in bars)


def test_a_merged_project_says_into_which(client, process, project):
    target = ProjectFactory(budget=project.budget, title="Le grand parc")
    project.status = ProjectStatus.MERGED
    project.merged_into = target
    project.save()

    response = client.get(project.get_absolute_url())

    assert soup(response).find("a", href=target.get_absolute_url(), string="Le grand parc")


def test_a_hidden_project_shows_the_moderation_notice_instead(client, process, project):
    project.moderation_state = ModerationState.HIDDEN
    project.moderation_reason = "Propos injurieux"
    project.save()

    response = client.get(project.get_absolute_url())

    assert "Propos injurieux" in soup(response).find(class_="moderation-notice").get_text()
    assert project.description not in response.content.decode()


def test_a_project_of_another_process_is_404(client, project):
    other = BudgetProcessFactory()
    assert client.get(reverse("budgets:project", args=[other.slug, project.public_id])).status_code == 404


def test_project_page_refuses_post(client, project):
    assert client.post(project.get_absolute_url()).status_code == 405
