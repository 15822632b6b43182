"""The demo's finished process has ballots whose count matches the projects it marks as funded."""

from __future__ import annotations

import io

import pytest

from budgets import demo as budgets_demo
from budgets.models import BudgetProcess, ProjectStatus
from budgets.results import demo
from budgets.results.selectors import process_results
from civicplatform.ballots.models import SecretBallot
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


def test_the_demo_resident_votes_in_the_current_process_and_changes_the_vote(client, settings):
    import re

    from django.urls import reverse

    from civicplatform.accounts import demo as accounts_demo
    from civicplatform.accounts.models import User

    territory_demo.load_demo(io.StringIO())
    accounts_demo.load_demo(io.StringIO())
    budgets_demo.load_demo(io.StringIO())
    client.force_login(User.objects.get(email="citoyenne@demo.example"))

    index = client.get(reverse("budgets:vote", args=[budgets_demo.CURRENT_SLUG]), follow=True)
    assert index.status_code == 200
    ballot_url = (
        next(url for url in re.findall(r'href="([^"]+/vote/[^"/]+/)"', index.content.decode()) if "modifier" not in url)
        if index.templates[0].name.endswith("vote_index.html")
        else index.redirect_chain[-1][0]
    )
    page = client.get(ballot_url)
    cheapest = min(page.context["form"].projects, key=lambda project: project.ballot_cost)

    done = client.post(ballot_url, {"projects": [str(cheapest.public_id)], "action": "cast"}, follow=True)

    assert done.status_code == 200
    receipt = done.context["receipt"]
    assert receipt
    changed = client.post(
        ballot_url + "modifier/",
        {"receipt": receipt, "projects": [str(cheapest.public_id)], "action": "change"},
    )
    assert changed.status_code == 302
    assert SecretBallot.objects.count() == 1
