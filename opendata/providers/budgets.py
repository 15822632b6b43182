"""Participatory budgets: results, projects (with GeoJSON), participation and the anonymous ballots.

Results and ballots are published once the vote is over (the rule of
budgets.results.selectors.results_visible); the `.pb` files are the ones the
results page links to, written by budgets.results.selectors.budget_pb.
"""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendata.formats import point_features
from opendata.registry import ColumnType as T
from opendata.registry import (
    Dataset,
    ExtraFile,
    Link,
    Rows,
    columns,
    register_activity,
    register_dataset,
    register_feeds,
    register_outcomes,
    register_participation,
    register_widgets,
)


def _finished_processes():
    from budgets.models import BudgetProcess

    processes = BudgetProcess.objects.prefetch_related("phases", "budgets__district").order_by("created_at", "pk")
    return [process for process in processes if process.is_voting_over()]


def result_rows() -> Rows:
    from budgets.results.selectors import process_results

    rows: Rows = []
    for process in _finished_processes():
        for result in process_results(process):
            for row in result.rows:
                project = row.project
                rows.append(
                    {
                        "process": process.slug,
                        "process_title": process.title,
                        "budget": result.budget.slug,
                        "budget_name": result.budget.name,
                        "budget_amount": result.budget.amount,
                        "district": result.budget.district.name if result.budget.district_id else "",
                        "project_code": row.code,
                        "project_id": str(project.public_id),
                        "project_title": project.title,
                        "category": project.category.name if project.category_id else "",
                        "cost": project.ballot_cost,
                        "votes": row.result.votes,
                        "score": row.result.score,
                        "selected": row.result.selected,
                        "ballots": result.num_ballots,
                        "rule": process.tally_rule,
                    }
                )
    return rows


def project_rows() -> Rows:
    from budgets.models import Project, ProjectStatus

    projects = (
        Project.objects.visible()
        .exclude(status=ProjectStatus.WITHDRAWN)
        .select_related("process", "budget", "category", "district")
        .order_by("process__created_at", "process_id", "created_at", "pk")
    )
    return [
        {
            "project_id": str(project.public_id),
            "process": project.process.slug,
            "budget": project.budget.slug,
            "title": project.title,
            "summary": project.summary,
            "status": project.status,
            "category": project.category.name if project.category_id else "",
            "district": project.district.name if project.district_id else "",
            "cost": project.ballot_cost,
            "progress": project.progress,
            "latitude": project.latitude,
            "longitude": project.longitude,
            "submitted_on": project.created_at.date(),
            "url": project.get_absolute_url(),
        }
        for project in projects
    ]


def participation_rows() -> Rows:
    from budgets.results.selectors import process_statistics

    rows: Rows = []
    for process in _finished_processes():
        statistics = process_statistics(process)
        for dimension, stat_rows in (
            ("channel", statistics.by_channel),
            ("district", statistics.by_district),
            ("age_band", statistics.by_age),
        ):
            for stat in stat_rows:
                rows.append(
                    {
                        "process": process.slug,
                        "dimension": dimension,
                        "value": stat.label,
                        "voters": stat.count,
                        "total_voters": statistics.total,
                    }
                )
    return rows


def ballot_files() -> list[ExtraFile]:
    from budgets.results.selectors import pb_filename

    return [
        ExtraFile(
            title=pb_filename(budget),
            url=reverse("budgets:results_pb", kwargs={"slug": process.slug, "budget_slug": budget.slug}),
            media_type="text/plain",
            format="PB",
        )
        for process in _finished_processes()
        for budget in process.budgets.all()
    ]


def last_change() -> datetime.datetime | None:
    from budgets.models import Project

    return Project.objects.aggregate(last=Max("updated_at"))["last"]


def feed_links() -> list[Link]:
    from opendata.feeds import BudgetPhasesFeed

    return [Link("budget", str(BudgetPhasesFeed.title), reverse("opendata:feed_budgets"))]


def widget_links() -> list[Link]:
    return [
        Link(
            "budget",
            f"{process.title} — {budget.name}",
            reverse("opendata:widget_budget", kwargs={"slug": process.slug, "budget_slug": budget.slug}),
        )
        for process in _finished_processes()
        for budget in process.budgets.all()
    ]


def register() -> None:
    register_feeds("budgets", feed_links)
    register_widgets("budgets", widget_links)
    register_activity("budgets", contributions)
    register_outcomes("budget_outcomes", outcomes)
    register_participation("budget", _("Participatory budgets"), order=10)
    register_dataset(
        Dataset(
            key="budgets-results",
            participation="budget",
            title=_("Participatory budget results"),
            description=_(
                "One row per project on the ballot of each finished vote: votes (or points), "
                "whether it was selected, its cost and the counting rule."
            ),
            columns=columns(
                ("process", T.STRING, _("Process identifier")),
                ("process_title", T.STRING, _("Process")),
                ("budget", T.STRING, _("Budget identifier")),
                ("budget_name", T.STRING, _("Budget")),
                ("budget_amount", T.INTEGER, _("Budget amount (euros)")),
                ("district", T.STRING, _("District of the budget (empty: city-wide)")),
                ("project_code", T.STRING, _("Project code on the ballot")),
                ("project_id", T.STRING, _("Project identifier")),
                ("project_title", T.STRING, _("Project")),
                ("category", T.STRING, _("Category")),
                ("cost", T.INTEGER, _("Cost (euros)")),
                ("votes", T.INTEGER, _("Ballots approving the project")),
                ("score", T.NUMBER, _("Score (points, or votes)")),
                ("selected", T.BOOLEAN, _("Selected")),
                ("ballots", T.INTEGER, _("Ballots cast in this budget")),
                ("rule", T.STRING, _("Counting rule")),
            ),
            rows=result_rows,
            keywords=("budget participatif", "vote", "résultats"),
            extra_files=ballot_files,
            modified=last_change,
            order=10,
        )
    )
    register_dataset(
        Dataset(
            key="budgets-projects",
            participation="budget",
            title=_("Participatory budget projects"),
            description=_(
                "Every project proposed to a participatory budget and not withdrawn or hidden by moderation, "
                "with its status, cost, progress and location (also as GeoJSON). Authors are not published."
            ),
            columns=columns(
                ("project_id", T.STRING, _("Project identifier")),
                ("process", T.STRING, _("Process identifier")),
                ("budget", T.STRING, _("Budget identifier")),
                ("title", T.STRING, _("Title")),
                ("summary", T.STRING, _("Summary")),
                ("status", T.STRING, _("Status")),
                ("category", T.STRING, _("Category")),
                ("district", T.STRING, _("District")),
                ("cost", T.INTEGER, _("Cost (euros)")),
                ("progress", T.INTEGER, _("Implementation progress (%)")),
                ("latitude", T.NUMBER, _("Latitude (WGS 84)")),
                ("longitude", T.NUMBER, _("Longitude (WGS 84)")),
                ("submitted_on", T.DATE, _("Submitted on")),
                ("url", T.STRING, _("Page of the project")),
            ),
            rows=project_rows,
            keywords=("budget participatif", "projets", "géolocalisation"),
            geojson=point_features,
            modified=last_change,
            order=20,
        )
    )
    register_dataset(
        Dataset(
            key="budgets-participation",
            participation="budget",
            title=_("Participation in participatory budget votes"),
            description=_(
                "Voters of each finished vote by channel, district and age band. "
                "Counts from 1 to the publication threshold are left empty."
            ),
            columns=columns(
                ("process", T.STRING, _("Process identifier")),
                ("dimension", T.STRING, _("Breakdown: channel, district or age_band")),
                ("value", T.STRING, _("Channel, district or age band")),
                ("voters", T.INTEGER, _("Voters (empty: fewer than the threshold)")),
                ("total_voters", T.INTEGER, _("Voters in the process")),
            ),
            rows=participation_rows,
            suppressed=("voters",),
            suppression_groups=("process", "dimension"),
            keywords=("budget participatif", "participation"),
            order=30,
        )
    )


def contributions():
    """Votes (from the ballots ledger: who took part, never how), projects proposed and supports."""
    from django.contrib.contenttypes.models import ContentType

    from budgets.models import Budget, Project, Support
    from civicplatform.ballots.models import ParticipationLedger
    from opendata.registry import Contribution

    budget_type = ContentType.objects.get_for_model(Budget)
    ledger = ParticipationLedger.objects.filter(election_type=budget_type).values_list(
        "pk", "voter_id", "voted_on", "channel", "voter__district_id", "voter__birth_year"
    )
    for pk, voter_id, day, channel, district_id, birth_year in ledger.iterator(chunk_size=5000):
        # An erased account's vote stays counted, as one more participant.
        person = f"u{voter_id}" if voter_id else f"ledger{pk}"
        yield Contribution(person, day, "budget", channel, district_id, birth_year)
    projects = Project.objects.filter(author__isnull=False).values_list(
        "author_id", "created_at", "author__district_id", "author__birth_year"
    )
    for author_id, created_at, district_id, birth_year in projects.iterator(chunk_size=5000):
        yield Contribution(f"u{author_id}", created_at.date(), "budget", "online", district_id, birth_year)
    supports = Support.objects.values_list("user_id", "created_at", "user__district_id", "user__birth_year")
    for user_id, created_at, district_id, birth_year in supports.iterator(chunk_size=5000):
        yield Contribution(f"u{user_id}", created_at.date(), "budget", "online", district_id, birth_year)


def outcomes() -> list[tuple[str, int, int | None]]:
    """(status label, projects, total cost) for the dashboards."""
    from django.db.models import Count, Sum

    from budgets.models import Project, ProjectStatus

    labels = dict(ProjectStatus.choices)
    rows = Project.objects.visible().values_list("status").annotate(n=Count("pk"), cost=Sum("cost")).order_by("status")
    found = {status: (n, cost) for status, n, cost in rows}
    return [(str(labels[value]), *found[value]) for value in labels if value in found]
