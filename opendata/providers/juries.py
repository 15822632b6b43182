"""Citizen juries: the panel drawn by lot, by feature, how fair each selection was, and what became
of the jury's recommendations (the vote, the authority's decision, the latest progress).

The juries app already publishes, on each selection's page, the panel's seats per quota
line and every volunteer's selection probability under a pseudonym. Open data keeps to
aggregates: seats per feature value against the quota, and per selection the spread of
the probabilities (lowest, median, highest), never a pseudonym, a name or a contact.
Selections from a pool smaller than OPENDATA_MIN_COUNT are left out.

Seats are published exactly, as on the jury's page: a panel's composition against its
quotas is the public account of the draw (a seat of 2 is not a count of respondents).
"""

from __future__ import annotations

import datetime
import json
import statistics

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendata.registry import ColumnType as T
from opendata.registry import Dataset, Link, Rows, columns, register_dataset, register_feeds, register_participation
from opendata.suppression import min_count


def _runs(*statuses: str) -> list:
    from consultations.juries.models import SelectionRun

    return list(
        SelectionRun.objects.filter(jury__published=True, status__in=statuses)
        .select_related("jury")
        .order_by("jury__created_at", "jury_id", "created_at", "pk")
    )


def _labels(jury_ids: list[int]) -> dict[tuple[int, str, str], tuple[str, str]]:
    from consultations.juries.models import FeatureValue

    values = FeatureValue.objects.filter(feature__jury__in=jury_ids).select_related("feature")
    return {(v.feature.jury_id, v.feature.key, v.key): (v.feature.label, v.label) for v in values}


def composition_rows() -> Rows:
    from consultations.juries.models import RunStatus
    from consultations.juries.selectors import run_panel_composition

    runs = _runs(RunStatus.DRAWN)
    labels = _labels([run.jury_id for run in runs])
    rows: Rows = []
    for run in runs:
        jury_labels = {(f, v): names for (jury_id, f, v), names in labels.items() if jury_id == run.jury_id}
        for row in run_panel_composition(run, jury_labels):
            rows.append(
                {
                    "jury": run.jury.slug,
                    "jury_title": run.jury.title,
                    "selection": str(run.public_id),
                    "replacement": run.is_replacement,
                    "drawn_at": run.drawn_at,
                    "feature": row.feature_key,
                    "feature_label": row.feature,
                    "value": row.value_key,
                    "value_label": row.value,
                    "min_seats": row.low,
                    "max_seats": row.high,
                    "seats": row.seats,
                }
            )
    return rows


def selection_rows() -> Rows:
    from consultations.juries.models import RunStatus

    rows: Rows = []
    for run in _runs(RunStatus.COMPUTED, RunStatus.DRAWN):
        if not run.panels_json:
            continue
        probabilities = sorted(json.loads(run.panels_json).get("probabilities", {}).values())
        if len(probabilities) < min_count():
            continue
        rows.append(
            {
                "jury": run.jury.slug,
                "jury_title": run.jury.title,
                "selection": str(run.public_id),
                "algorithm": run.algorithm,
                "replacement": run.is_replacement,
                "seats": run.panel_size,
                "volunteers": len(probabilities),
                "panels": run.lottery_size,
                "min_probability": round(probabilities[0], 6),
                "median_probability": round(statistics.median(probabilities), 6),
                "max_probability": round(probabilities[-1], 6),
                "legacy_min_probability": (
                    round(run.legacy_min_probability, 6) if run.legacy_min_probability is not None else None
                ),
                "drawn": run.status == RunStatus.DRAWN,
                "drawn_at": run.drawn_at,
            }
        )
    return rows


def recommendation_rows() -> Rows:
    """One row per recommendation in a published report of a published jury: the jury's vote by
    level of support, the authority's decision and the latest progress. Aggregates only."""
    from django.db.models import OuterRef, Subquery

    from consultations.juries.models import ProgressReport, Recommendation
    from consultations.juries.selectors_recommendations import supports_by_number
    from consultations.juries.services_response import IN_REPORT, response_of

    latest = ProgressReport.objects.filter(recommendation=OuterRef("pk")).order_by("-reported_on", "-id")
    recommendations = list(
        Recommendation.objects.filter(
            jury__published=True, jury__report__published_at__isnull=False, status__in=IN_REPORT
        )
        .select_related("jury", "response")
        .annotate(
            progress_status=Subquery(latest.values("status")[:1]),
            progress_on=Subquery(latest.values("reported_on")[:1]),
        )
        .order_by("jury__created_at", "jury_id", "number")
    )
    supports = supports_by_number(list({r.jury_id for r in recommendations}))
    rows: Rows = []
    for recommendation in recommendations:
        support = supports.get((recommendation.jury_id, recommendation.number))
        response = response_of(recommendation)
        counts = support.counts if support else {}
        rows.append(
            {
                "jury": recommendation.jury.slug,
                "jury_title": recommendation.jury.title,
                "number": recommendation.number,
                "title": recommendation.title,
                "status": recommendation.status,
                **{column: counts.get(level, 0) if support else None for column, level in SUPPORT_COLUMNS},
                "support_percent": support.share if support else None,
                "decision": response.decision if response else "",
                "responded_at": response.responded_at if response else None,
                "progress_status": recommendation.progress_status or "",
                "progress_date": recommendation.progress_on,
            }
        )
    return rows


# Dataset column -> level of support in the jury's vote (consultations.juries.models.SupportLevel).
SUPPORT_COLUMNS = (
    ("strongly_support", 5),
    ("support", 4),
    ("accept", 3),
    ("reservations", 2),
    ("oppose", 1),
    ("abstain", 0),
)


def recommendations_last_change() -> datetime.datetime | None:
    from consultations.juries.models import AuthorityResponse, JuryReport, ProgressReport

    dates = [
        JuryReport.objects.filter(jury__published=True).aggregate(last=Max("published_at"))["last"],
        AuthorityResponse.objects.filter(recommendation__jury__published=True).aggregate(last=Max("updated_at"))[
            "last"
        ],
        ProgressReport.objects.filter(recommendation__jury__published=True).aggregate(last=Max("created_at"))["last"],
    ]
    return max((date for date in dates if date is not None), default=None)


def last_change() -> datetime.datetime | None:
    from consultations.juries.models import SelectionRun

    return SelectionRun.objects.filter(jury__published=True).aggregate(last=Max("computed_at"))["last"]


def feed_links() -> list[Link]:
    from opendata.feeds import JuriesFeed

    return [Link("jury", str(JuriesFeed.title), reverse("opendata:feed_juries"))]


def register() -> None:
    register_feeds("juries", feed_links)
    register_participation("jury", _("Citizen juries"), order=27)
    register_dataset(
        Dataset(
            key="juries-panel-composition",
            participation="jury",
            title=_("Citizen juries: panel composition"),
            description=_(
                "For every panel drawn by lot for a published citizen jury: the seats taken by each value of "
                "each stratification feature (age band, gender, district...), with the quota's minimum and "
                "maximum. No member is named or identified."
            ),
            columns=columns(
                ("jury", T.STRING, _("Jury identifier")),
                ("jury_title", T.STRING, _("Jury")),
                ("selection", T.STRING, _("Selection identifier")),
                ("replacement", T.BOOLEAN, _("Draw of replacements")),
                ("drawn_at", T.DATETIME, _("Drawn on")),
                ("feature", T.STRING, _("Feature key")),
                ("feature_label", T.STRING, _("Feature")),
                ("value", T.STRING, _("Value key")),
                ("value_label", T.STRING, _("Feature value")),
                ("min_seats", T.INTEGER, _("Minimum seats")),
                ("max_seats", T.INTEGER, _("Maximum seats")),
                ("seats", T.INTEGER, _("Seats in the panel drawn")),
            ),
            rows=composition_rows,
            keywords=("jury citoyen", "tirage au sort"),
            modified=last_change,
            order=10,
        )
    )
    register_dataset(
        Dataset(
            key="juries-selection-fairness",
            participation="jury",
            title=_("Citizen juries: selection probabilities"),
            description=_(
                "For every computed selection of a published citizen jury: the algorithm, the number of "
                "volunteers and seats, and the lowest, median and highest probability a volunteer had of being "
                "selected (with the lowest under the former greedy method, when computed). Pools smaller than "
                "the publication threshold are not included."
            ),
            columns=columns(
                ("jury", T.STRING, _("Jury identifier")),
                ("jury_title", T.STRING, _("Jury")),
                ("selection", T.STRING, _("Selection identifier")),
                ("algorithm", T.STRING, _("Algorithm")),
                ("replacement", T.BOOLEAN, _("Draw of replacements")),
                ("seats", T.INTEGER, _("Seats to fill")),
                ("volunteers", T.INTEGER, _("Volunteers in the pool")),
                ("panels", T.INTEGER, _("Equally likely panels drawn from")),
                ("min_probability", T.NUMBER, _("Lowest selection probability")),
                ("median_probability", T.NUMBER, _("Median selection probability")),
                ("max_probability", T.NUMBER, _("Highest selection probability")),
                ("legacy_min_probability", T.NUMBER, _("Lowest probability with the greedy method")),
                ("drawn", T.BOOLEAN, _("Panel drawn")),
                ("drawn_at", T.DATETIME, _("Drawn on")),
            ),
            rows=selection_rows,
            keywords=("jury citoyen", "tirage au sort"),
            modified=last_change,
            order=20,
        )
    )
    register_dataset(
        Dataset(
            key="juries-recommendations",
            participation="jury",
            title=_("Citizen juries: recommendations and the authority's responses"),
            description=_(
                "For every recommendation in the published report of a citizen jury: its status, the jury's "
                "secret vote by level of support (votes per level, exact, as in the report), the authority's "
                "decision (accepted, partly accepted, rejected) and the latest progress reported. No member "
                "is named or identified."
            ),
            columns=columns(
                ("jury", T.STRING, _("Jury identifier")),
                ("jury_title", T.STRING, _("Jury")),
                ("number", T.INTEGER, _("Recommendation number")),
                ("title", T.STRING, _("Recommendation")),
                ("status", T.STRING, _("Status (adopted, not_adopted)")),
                ("strongly_support", T.INTEGER, _("Votes: strongly support")),
                ("support", T.INTEGER, _("Votes: support")),
                ("accept", T.INTEGER, _("Votes: can live with it")),
                ("reservations", T.INTEGER, _("Votes: serious reservations")),
                ("oppose", T.INTEGER, _("Votes: oppose")),
                ("abstain", T.INTEGER, _("Votes: abstain")),
                ("support_percent", T.NUMBER, _("Support among votes expressed (%)")),
                ("decision", T.STRING, _("Decision of the authority (accepted, partly, rejected)")),
                ("responded_at", T.DATETIME, _("Responded on")),
                ("progress_status", T.STRING, _("Latest progress (not_started, in_progress, done, abandoned)")),
                ("progress_date", T.DATE, _("Date of the latest progress")),
            ),
            rows=recommendation_rows,
            keywords=("jury citoyen", "recommandations", "redevabilité"),
            modified=recommendations_last_change,
            order=30,
        )
    )
