"""Proposing a project (submission phase, eligible residents) and supporting one (shortlist phase)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import PhaseKind, Project, ProjectStatus, Support
from civicplatform.core.models import AuditEvent

from .conftest import add_phase
from .factories import ProjectFactory
from .images import png_bytes

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def url(process):
    return reverse("budgets:submit", args=[process.slug])


@pytest.fixture
def data(citywide):
    return {
        "budget": str(citywide.pk),
        "title": "Des bancs au bord de l’eau",
        "summary": "Cinq bancs face à la Loire.",
        "description": "Pour se reposer pendant la promenade.",
        "cost": "7500",
        "address": "Quai de Loire",
        "latitude": "47,901234",
        "longitude": "1.904567",
    }


def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_citizen_not_verified_is_told_why_and_how(client, url, citizen):
    client.force_login(citizen)

    response = client.get(url)

    assert response.status_code == 403
    html = soup(response)
    assert "habitants vérifiés" in html.find("main").get_text()
    assert html.find("a", href=reverse("verification:start"))


def test_submission_closed_says_when_it_closed(client, process, url, resident):
    process.phases.update(enabled=False)
    client.force_login(resident)

    response = client.get(url)

    assert response.status_code == 403


def test_wrong_method_is_405(client, url, resident):
    client.force_login(resident)
    assert client.put(url).status_code == 405


def test_the_form_shows_every_field_with_a_label(client, url, resident, citywide):
    client.force_login(resident)

    response = client.get(url)

    html = soup(response)
    form = html.find("form", class_="project-form")
    assert form["enctype"] == "multipart/form-data"
    for name in (
        "budget",
        "title",
        "summary",
        "description",
        "cost",
        "latitude",
        "longitude",
        "photo_1",
        "photo_1_alt",
    ):
        field = form.find(attrs={"name": name})
        assert field is not None, name
        assert html.find("label", attrs={"for": field["id"]}), name


def test_a_resident_submits_a_project_with_a_photo(client, url, data, resident, citywide):
    client.force_login(resident)
    data["photo_1"] = SimpleUploadedFile("banc.png", png_bytes(), content_type="image/png")
    data["photo_1_alt"] = "Un banc en bois"

    response = client.post(url, data)

    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert (project.title, project.cost, project.status) == (
        "Des bancs au bord de l’eau",
        7500,
        ProjectStatus.SUBMITTED,
    )
    assert str(project.latitude) == "47.901234"
    assert project.photos.get().alt_text == "Un banc en bois"
    assert AuditEvent.objects.filter(action="budgets.project_submit", actor=resident).exists()


def test_invalid_data_is_a_400_that_keeps_what_was_typed(client, url, data, resident):
    client.force_login(resident)
    data["cost"] = "beaucoup"

    response = client.post(url, data)

    assert response.status_code == 400
    html = soup(response)
    assert html.find(class_="error-summary")
    assert html.find("input", attrs={"name": "title"})["value"] == "Des bancs au bord de l’eau"
    assert html.find("textarea", attrs={"name": "description"}).get_text(strip=True) == data["description"]
    assert not Project.objects.exists()


def test_a_cost_above_the_budget_is_refused_next_to_the_cost(client, url, data, resident):
    client.force_login(resident)
    data["cost"] = "600000"

    response = client.post(url, data)

    assert response.status_code == 400
    cost = soup(response).find("input", attrs={"name": "cost"})
    errors = soup(response).find(id=cost["aria-describedby"].split()[0]) if cost.get("aria-describedby") else None
    assert "budget" in response.content.decode()
    assert errors is not None or "Toute la ville" in response.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("doc.png", b"not an image", content_type="image/png"), "photo"),
        (SimpleUploadedFile("photo.gif", png_bytes(image_format="GIF"), content_type="image/gif"), "JPEG, PNG"),
    ],
)
def test_a_photo_of_the_wrong_type_is_refused(client, url, data, resident, upload, message):
    client.force_login(resident)
    data["photo_1"] = upload
    data["photo_1_alt"] = "Photo"

    response = client.post(url, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_a_photo_too_large_is_refused(client, settings, url, data, resident):
    settings.BUDGETS_PHOTO_MAX_BYTES = 10
    client.force_login(resident)
    data["photo_1"] = SimpleUploadedFile("banc.png", png_bytes(), content_type="image/png")
    data["photo_1_alt"] = "Un banc"

    response = client.post(url, data)

    assert response.status_code == 400
    assert "trop lourde" in response.content.decode() or "too large" in response.content.decode()


def test_a_photo_needs_a_description(client, url, data, resident):
    client.force_login(resident)
    data["photo_1"] = SimpleUploadedFile("banc.png", png_bytes(), content_type="image/png")

    response = client.post(url, data)

    assert response.status_code == 400
    alt = soup(response).find(attrs={"name": "photo_1_alt"})
    assert "field--error" in alt.find_parent(class_="field")["class"]


def test_half_a_location_is_refused(client, url, data, resident):
    client.force_login(resident)
    data["longitude"] = ""

    response = client.post(url, data)

    assert response.status_code == 400


def test_submissions_are_rate_limited(client, settings, url, data, resident):
    settings.BUDGETS_SUBMIT_RATE = "1/h"
    client.force_login(resident)
    assert client.post(url, data).status_code == 302

    response = client.post(url, {**data, "title": "Encore une idée"})

    assert response.status_code == 429
    assert soup(response).find("input", attrs={"name": "title"})["value"] == "Encore une idée"
    assert Project.objects.count() == 1


# ---------------------------------------------------------------- supports


@pytest.fixture
def shortlist(process):
    add_phase(process, PhaseKind.SHORTLIST, start_days=-1, end_days=3)
    return process


@pytest.fixture
def support_url(shortlist, project):
    return reverse("budgets:support", args=[shortlist.slug, project.public_id])


def test_support_needs_login(client, support_url):
    response = client.post(support_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_support_is_post_only(client, support_url, other_resident):
    client.force_login(other_resident)
    assert client.get(support_url).status_code == 405


def test_a_resident_supports_then_withdraws(client, support_url, project, other_resident):
    client.force_login(other_resident)

    response = client.post(support_url, {"next": "/budgets/"})
    assert response.status_code == 302
    assert response["Location"] == "/budgets/"
    assert Support.objects.filter(project=project, user=other_resident).exists()

    client.post(support_url)
    assert not Support.objects.exists()


def test_an_external_next_url_is_ignored(client, support_url, project, other_resident):
    client.force_login(other_resident)
    response = client.post(support_url, {"next": "https://evil.example/"})
    assert response["Location"] == project.get_absolute_url()


def test_a_citizen_not_verified_may_not_support(client, support_url, citizen):
    client.force_login(citizen)

    response = client.post(support_url)

    assert response.status_code == 403
    assert not Support.objects.exists()


def test_the_project_page_shows_the_support_button_pressed_state(client, shortlist, project, other_resident):
    Support.objects.create(project=project, user=other_resident)
    client.force_login(other_resident)

    response = client.get(project.get_absolute_url())

    button = soup(response).find("form", class_="support-form").find("button")
    assert button["aria-pressed"] == "true"
    assert "1 personne" in soup(response).find("section", attrs={"aria-labelledby": "support-heading"}).get_text()


def test_the_list_offers_support_buttons_only_for_feasible_projects(client, shortlist, project, other_resident):
    ProjectFactory(budget=project.budget, status=ProjectStatus.UNFEASIBLE, title="Irréalisable")
    client.force_login(other_resident)

    response = client.get(reverse("budgets:projects", args=[shortlist.slug]))

    forms = soup(response).find_all("form", class_="support-form")
    assert len(forms) == 1
    assert forms[0]["action"] == reverse("budgets:support", args=[shortlist.slug, project.public_id])
