"""Staff set up processes, phases and budgets in the Wagtail admin (Snippets)."""

from __future__ import annotations

import pytest

from budgets.models import BudgetProcess, PhaseKind
from civicplatform.accounts.tests.factories import UserFactory

from .factories import BudgetFactory, BudgetPhaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True, pseudonym="Admin")


@pytest.mark.parametrize("model", ["budgetprocess", "budgetphase", "budget", "category", "project", "milestone"])
def test_every_budget_snippet_list_opens(client, admin_user, process, model):
    client.force_login(admin_user)
    assert client.get(f"/admin/snippets/budgets/{model}/").status_code == 200


def test_staff_see_phases_with_their_dates(client, admin_user, process):
    BudgetPhaseFactory(process=process, kind=PhaseKind.VOTING)
    BudgetFactory(process=process, name="Quartier Nord")
    client.force_login(admin_user)

    phases = client.get("/admin/snippets/budgets/budgetphase/").content.decode()
    budgets = client.get("/admin/snippets/budgets/budget/").content.decode()

    assert "Vote" in phases
    assert "Quartier Nord" in budgets


def test_staff_create_a_process_restricted_to_a_district(client, admin_user, district):
    client.force_login(admin_user)

    response = client.post(
        "/admin/snippets/budgets/budgetprocess/add/",
        {
            "title": "Budget des jeunes",
            "slug": "budget-des-jeunes",
            "description": "",
            "min_verification_level": "2",
            "min_age": "11",
            "restricted_districts": [str(district.pk)],
            "voting_scope": "all",
            "ballot_type": "approval",
            "max_projects": "3",
            "tally_rule": "greedy",
            "tie_breaking": "min_cost,max_votes,id",
            "currency": "EUR",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    process = BudgetProcess.objects.get(slug="budget-des-jeunes")
    assert process.min_age == 11
    assert list(process.restricted_districts.all()) == [district]


def test_residents_cannot_reach_the_budget_snippets(client, resident):
    client.force_login(resident)
    assert client.get("/admin/snippets/budgets/budgetprocess/").status_code in (302, 403)
