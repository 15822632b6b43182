"""The demo's finished process has ballots whose count matches the projects it marks as funded."""

from __future__ import annotations

import io
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse

from budgets import demo as budgets_demo
from budgets.models import BudgetProcess, ProjectStatus
from budgets.results import demo
from budgets.results.selectors import process_results
from civicplatform.accounts.models import User
from civicplatform.ballots.models import SecretBallot
from civicplatform.ballots.services import ballots_for
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


def test_make_run_shows_the_vote_open_to_the_demo_resident_who_votes_and_changes_the_vote(client):
    """`make run` runs `load_demo`, every loader of DEMO_LOADERS in order: the 2026 process is in
    its vote and the demo resident (verified, of age: the vote is open from 16) can vote and change
    the vote; the finished 2024 process has its ballots and results. The loaders listed after the
    budgets' (other apps) are not needed here."""
    loaders = settings.DEMO_LOADERS[: settings.DEMO_LOADERS.index("budgets.results.demo") + 1]
    assert "budgets.demo" in loaders
    for _start in range(2):  # `make run` loads the demo at every start
        for name in loaders:
            import_module(name).load_demo(io.StringIO())

    resident = User.objects.get(email="citoyenne@demo.example")
    vote_url = reverse("budgets:vote", args=[budgets_demo.CURRENT_SLUG])
    assert reverse("account_login") in client.get(vote_url).url
    client.force_login(resident)
    index = client.get(vote_url)
    assert index.status_code == 200
    budgets = [entry[0] for entry in index.context["entries"]]
    assert budgets, index.content.decode()[:2000]
    budget = budgets[0]
    ballot_url = reverse("budgets:ballot", args=[budgets_demo.CURRENT_SLUG, budget.slug])
    page = client.get(ballot_url)
    assert page.status_code == 200
    cheapest = min(page.context["form"].projects, key=lambda project: project.ballot_cost)
    done = client.post(ballot_url, {"projects": [str(cheapest.public_id)], "action": "cast"}, follow=True)
    receipt = done.context["receipt"]
    changed = client.post(
        reverse("budgets:vote_change", args=[budgets_demo.CURRENT_SLUG, budget.slug]),
        {"receipt": receipt, "projects": [str(cheapest.public_id)], "action": "change"},
    )

    assert receipt
    assert changed.status_code == 302
    current = BudgetProcess.objects.get(slug=budgets_demo.CURRENT_SLUG)
    assert SecretBallot.objects.filter(channel="online").count() == 1
    assert ballots_for(budget).count() == 1
    past = BudgetProcess.objects.get(slug=demo.PAST_SLUG)
    assert client.get(reverse("budgets:results", args=[past.slug])).status_code == 200
    assert current.is_voting_open()
