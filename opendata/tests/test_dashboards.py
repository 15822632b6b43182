"""Impact dashboards: computed by the Celery task into summary tables, shown as SVG charts with tables."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from civicplatform.accounts.tests.factories import StaffFactory
from opendata.models import ImpactFigure, ImpactRun, Metric
from opendata.services import impact_compute
from opendata.tasks import impact_compute as impact_compute_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def computed(counted_budget, petition, comments):
    return impact_compute()


def figures(run, metric) -> dict[str, int]:
    return {f.label: f.value for f in run.figures.filter(metric=metric)}


def test_the_task_writes_participation_by_district_with_population(computed, north, south):
    by_district = {f.label: (f.value, f.reference) for f in computed.figures.filter(metric=Metric.DISTRICT)}
    # 9 voters + 3 project authors + 3 commenters + 12 signers in the north; 2 signers in the south.
    assert by_district["Nord"] == (27, 4000)
    assert by_district["Sud"] == (2, 6000)


def test_the_task_counts_channels_ages_and_funnel(computed):
    channels = figures(computed, Metric.CHANNEL)
    assert channels["Online"] == computed.contributions
    assert channels["On paper"] == 0
    assert figures(computed, Metric.AGE)["45 to 59"] == 9  # the voters, born in 1980
    funnel = figures(computed, Metric.FUNNEL)
    assert funnel["Took part at least once (with an account)"] >= 15


def test_first_time_participants_are_counted_once(computed):
    newcomers = computed.figures.filter(metric=Metric.NEWCOMERS, label="first_time")
    assert sum(f.value for f in newcomers) == computed.participants


def test_outcomes_come_from_each_app(computed):
    assert figures(computed, Metric.BUDGET_OUTCOMES)["Shortlisted for the vote"] == 3
    assert figures(computed, Metric.PETITION_OUTCOMES)["Open for signatures"] == 1


def test_the_task_can_run_twice_and_keeps_a_few_runs(counted_budget):
    for _ in range(5):
        impact_compute_task.delay()
    assert ImpactRun.objects.count() == 3
    latest = ImpactRun.objects.order_by("-computed_at").first()
    assert ImpactFigure.objects.filter(run=latest).exists()


def test_the_public_dashboard_shows_districts_as_svg_and_table_with_small_counts_hidden(client, computed):
    response = client.get(reverse("opendata:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Participation dashboard</h1>" in html
    assert 'id="chart-districts-heading"' in html
    assert '<svg class="bar-chart__svg"' in html and 'role="img"' in html
    assert '<th scope="row">Nord</th><td>27</td><td>6.8</td>' in html
    # The south's 2 participants are below the threshold.
    assert '<th scope="row">Sud</th><td>fewer than 5</td>' in html
    assert "Contributions over time" in html


def test_participants_per_month_are_split_by_participation(client, computed):
    html = client.get(reverse("opendata:dashboard")).content.decode()
    assert 'id="chart-participations-heading"' in html
    for label in ("Participatory budgets", "Petitions", "Forums and comments"):
        assert f'<th scope="col">{label}</th>' in html


def test_votes_through_the_shared_ballots_are_counted_with_their_channel(north, south):
    """Any election of civicplatform.ballots (a local referendum, a jury vote) counts, without a provider."""
    from civicplatform.accounts.tests.factories import ResidentFactory
    from civicplatform.ballots import services as ballots

    # Any model instance can be an election; a district stands in for a referendum question here.
    for index in range(6):
        ballots.ballot_cast(
            election=south,
            person=ResidentFactory(district=south),
            choices={"answer": "yes"},
            channel="desk" if index < 2 else "online",
        )
    run = impact_compute()
    assert figures(run, Metric.CHANNEL) == {"Online": 4, "At the desk": 2, "On paper": 0}
    assert figures(run, Metric.DISTRICT)["Sud"] == 6
    assert run.figures.filter(metric=Metric.MONTHLY_PARTICIPANTS, participation="vote").get().value == 6


def test_staff_see_exact_counts(client, computed, staff):
    client.force_login(staff)
    html = client.get(reverse("opendata:dashboard_staff")).content.decode()
    assert '<th scope="row">Sud</th><td>2</td>' in html


@pytest.mark.parametrize("persona", ["anonymous", "resident"])
def test_the_staff_dashboard_is_for_staff(client, computed, persona, resident):
    if persona == "resident":
        client.force_login(resident)
    response = client.get(reverse("opendata:dashboard_staff"))
    assert response.status_code == (302 if persona == "anonymous" else 403)


def test_staff_can_ask_for_a_new_computation(client, computed, staff):
    client.force_login(staff)
    assert client.get(reverse("opendata:dashboard_refresh")).status_code == 405
    response = client.post(reverse("opendata:dashboard_refresh"))
    assert response.status_code == 302
    assert ImpactRun.objects.count() == 2


def test_residents_cannot_ask_for_a_computation(client, computed, resident):
    client.force_login(resident)
    assert client.post(reverse("opendata:dashboard_refresh")).status_code == 403
    assert ImpactRun.objects.count() == 1


def test_a_fresh_install_computes_the_first_figures(client, petition):
    assert not ImpactRun.objects.exists()
    html = client.get(reverse("opendata:dashboard")).content.decode()
    assert ImpactRun.objects.count() == 1  # eager Celery in tests, as in `make run`
    assert "Participants by district" in html


def test_the_export_is_suppressed_for_the_public_and_exact_for_staff(client, computed, staff):
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("opendata:dashboard_export")).content.decode())))
    south = next(row for row in rows if row["metric"] == "district" and row["label"] == "Sud")
    assert south["value"] == ""
    assert client.get(reverse("opendata:dashboard_export") + "?exact=1").status_code == 302
    client.force_login(staff)
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("opendata:dashboard_export") + "?exact=1").content.decode()))
    )
    south = next(row for row in rows if row["metric"] == "district" and row["label"] == "Sud")
    assert south["value"] == "2"


def test_the_dashboard_reads_summary_tables_in_few_queries(client, computed, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        assert client.get(reverse("opendata:dashboard")).status_code == 200
