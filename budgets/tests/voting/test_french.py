"""The vote in French, the platform's default language."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def french(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def test_the_ballot_speaks_french_with_french_amounts(french, resident, city_projects):
    french.force_login(resident)
    budget = city_projects[0].budget

    page = french.get(reverse("budgets:ballot", args=[budget.process.slug, budget.slug])).content.decode()

    assert "Budget restant\xa0: 100\xa0000 €." in page
    assert "Vérifier mon bulletin" in page
    assert 'data-text-over="Dépassement du budget\xa0: {n} €."' in page


def test_an_over_budget_ballot_is_explained_in_french(french, resident, city_projects):
    french.force_login(resident)
    budget = city_projects[0].budget
    ids = [str(project.public_id) for project in city_projects]

    response = french.post(reverse("budgets:ballot", args=[budget.process.slug, budget.slug]), {"projects": ids})

    assert response.status_code == 400
    assert "décochez un projet pour tenir dans le budget" in response.content.decode()
