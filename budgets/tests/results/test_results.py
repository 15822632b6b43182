"""The results page: each rule's outcome explained, a chart with its table, participation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import BallotType, ProjectStatus, TallyRule
from budgets.results.selectors import process_results
from budgets.tests.factories import BudgetFactory, ProjectFactory
from civicplatform.accounts.tests.factories import ResidentFactory, StaffFactory
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import Channel
from civicplatform.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _results_url(process):
    return reverse("budgets:results", args=[process.slug])


def test_results_are_hidden_until_the_vote_closes_except_to_staff(client, voting_process, staff):
    refused = client.get(_results_url(voting_process))
    client.force_login(staff)
    preview = client.get(_results_url(voting_process))

    assert refused.status_code == 403
    assert "published when the vote closes" in refused.content.decode()
    assert preview.status_code == 200
    assert "Staff preview" in preview.content.decode()


def test_the_results_page_explains_the_rule_and_why_each_project_lost(client, counted):
    budget, projects, _receipts = counted

    response = client.get(_results_url(budget.process))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Projects are taken in order of support" in page
    assert "When projects are exactly tied, the winner is the cheaper project" in page
    assert "Not funded: it did not fit in the remaining budget (10,000 € left, cost 30,000 €)." in page
    assert "Not funded: not supported by anyone." in page
    assert page.count("<strong>Funded</strong>") == 2
    assert "90,000 € allocated, 10 ballots" in page


def test_the_results_page_says_what_each_other_rule_would_have_funded(client, counted):
    budget, projects, _receipts = counted

    page = client.get(_results_url(budget.process)).content.decode()

    section = page[page.index("What the other counting rules would have funded") :]
    # Greedy without skipping stops at C, which does not fit: the same two projects.
    no_skip = section[section.index("Most votes first, stopping at the first project") :].split("</li>")[0]
    assert "2 projects funded, 90,000 € allocated." in no_skip
    assert "The same projects as the official count." in no_skip
    # Equal shares: after A, B's supporters can no longer pay 50,000 € between them; C's can pay 30,000 €.
    shares = section[section.index("<strong>Method of equal shares</strong>") :].split("</li>")[0]
    assert "2 projects funded, 70,000 € allocated." in shares
    assert "It would also fund: C - Composteurs." in shares
    assert "It would not fund: B - Bancs." in shares
    assert "Method of Equal Shares" in shares  # how that rule counts
    # The threshold rule needs a threshold: it is left out when the process has none.
    assert "above a vote threshold" not in section


def test_the_chart_is_server_rendered_svg_with_a_data_table(client, counted):
    budget, projects, _receipts = counted

    page = client.get(_results_url(budget.process)).content.decode()

    assert '<svg class="results-chart"' in page
    assert 'role="img"' in page
    assert "<title id=" in page
    # A has 7 votes, the most: full bar; B has 6 of 7.
    assert 'width="100.0%"' in page
    # The label starts with the figure, so a narrow phone never clips it.
    assert ">✓ 7 — A - Arbres</text>" in page
    assert 'width="85.7%"' in page
    assert '<table class="results-table">' in page
    assert '<caption id="results-caption-' in page


def test_participation_statistics_hide_small_counts(client, counted):
    budget, _projects, _receipts = counted

    page = client.get(_results_url(budget.process)).content.decode()

    assert "By district of the voters" in page
    # 9 voters from the district, 1 paper ballot without a name: the 1 is hidden, and so is the 9.
    assert "fewer than 5" in page
    assert "counts under 5 are not published" in page
    assert ">10 ballots in all." in page or "10 ballots in all." in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_results_page_takes_as_many_queries_for_three_budgets_as_for_one(client, counted, district):
    budget, _projects, _receipts = counted
    url = _results_url(budget.process)
    client.get(url)  # fills the outcome cache
    one = _queries(client, url)
    for slug in ("nord", "sud"):
        other = BudgetFactory(process=budget.process, slug=slug, amount=1000)
        project = ProjectFactory(budget=other, cost=500, status=ProjectStatus.SHORTLISTED)
        person = ResidentFactory(district=district)
        ballots.ballot_cast(election=other, person=person, choices={"projects": [project.pk]})
    client.get(url)

    assert _queries(client, url) == one


def test_a_new_paper_ballot_changes_the_cached_result(counted, django_capture_on_commit_callbacks):
    budget, projects, _receipts = counted
    before = process_results(budget.process)[0]

    with django_capture_on_commit_callbacks(execute=True):
        ballots.ballots_import(
            election=budget, choices=[{"projects": [projects[2].pk]}] * 5, channel=Channel.PAPER, actor=None
        )
    after = process_results(budget.process)[0]

    assert before.num_ballots == 10
    assert after.num_ballots == 15
    assert after.outcome.results[after.rows[0].code].votes >= 7


def test_points_ballots_explain_thresholds_in_points(client, closed_process, district):
    closed_process.ballot_type = BallotType.CUMULATIVE
    closed_process.points_total = 10
    closed_process.tally_rule = TallyRule.GREEDY_THRESHOLD
    closed_process.threshold = 12
    closed_process.save()
    budget = BudgetFactory(process=closed_process, slug="ville", amount=100000)
    big, small = (ProjectFactory(budget=budget, title=t, cost=10000, status=ProjectStatus.SHORTLISTED) for t in "XY")
    for _ in range(2):
        ballots.ballot_cast(
            election=budget,
            person=ResidentFactory(district=district),
            choices={"projects": [big.pk, small.pk], "points": [8, 2]},
        )

    page = client.get(_results_url(closed_process)).content.decode()

    assert "Only projects with a support of at least 12 are eligible" in page
    assert "below the threshold of 12 points needed to be eligible (it got 4)" in page
    assert '<th scope="col" class="number">Points</th>' in page


def test_equal_shares_results_say_what_the_supporters_could_pay(client, counted):
    budget, _projects, _receipts = counted
    budget.process.tally_rule = TallyRule.MES_ADD1
    budget.process.save()

    page = client.get(_results_url(budget.process)).content.decode()

    assert "Method of Equal Shares" in page
    assert "equal shares could not cover its cost" in page or "Not funded: not supported by anyone." in page


def test_wrong_method_on_results_is_405(client, counted):
    budget, _projects, _receipts = counted
    assert client.post(_results_url(budget.process)).status_code == 405


# -- recording the outcome on the projects


def test_staff_record_the_results_on_the_projects(client, counted):
    budget, projects, _receipts = counted
    staff = StaffFactory()
    client.force_login(staff)

    response = client.post(reverse("budgets:results_apply", args=[budget.process.slug]))

    assert response.status_code == 302
    statuses = [project.status for project in budget.projects.order_by("title")]
    assert statuses == [
        ProjectStatus.SELECTED,
        ProjectStatus.SELECTED,
        ProjectStatus.NOT_SELECTED,
        ProjectStatus.NOT_SELECTED,
    ]
    assert AuditEvent.objects.get(action="budgets.results_apply").actor == staff


def test_only_staff_record_results_and_only_after_the_close(client, counted, resident, voting_process, staff):
    budget, _projects, _receipts = counted
    url = reverse("budgets:results_apply", args=[budget.process.slug])

    assert reverse("account_login") in client.post(url).url
    client.force_login(resident)
    assert client.post(url).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 405
    early = client.post(reverse("budgets:results_apply", args=[voting_process.slug]))
    assert early.status_code == 400
    assert "once the vote has closed" in early.content.decode()
