"""What the impact dashboards show, read from the summary tables (opendata.models).

Charts are drawn on the server as SVG with the shared helpers (bars:
civicplatform.core.charts; the cumulative line: petitions.charts.timeline) and
each one is followed by its data table. The public dashboard suppresses small
counts like the downloads do; staff see exact counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from civicplatform.core.charts import bar_chart

from . import registry
from .models import ImpactFigure, ImpactRun, Metric
from .suppression import min_count, suppress

MONTHS_SHOWN = 12
MONTHS_BY_PARTICIPATION = 6


@dataclass(frozen=True)
class Cell:
    count: int | None  # None: suppressed
    percent: float
    width: float
    y: int
    series: int


@dataclass(frozen=True)
class Row:
    label: str
    y: int
    cells: list[Cell]
    extra: str = ""


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    label_heading: str
    series: list[str]
    rows: list[Row]
    height: int
    extra_heading: str = ""

    @property
    def has_series(self) -> bool:
        return len(self.series) > 1

    @property
    def has_suppressed(self) -> bool:
        return any(cell.count is None for row in self.rows for cell in row.cells)


def make_chart(
    key: str,
    title: str,
    label_heading: str,
    rows: Sequence[tuple[str, Sequence[int | None], str]],
    *,
    series: Sequence[str] = ("",),
    extra_heading: str = "",
) -> Chart:
    # Labels were stored in English (opendata.services): translate them for the reader.
    rows = [(_(label) if label else label, counts, extra) for label, counts, extra in rows]
    geometry = bar_chart([(label, [count or 0 for count in counts]) for label, counts, _extra in rows], series=series)
    chart_rows = [
        Row(
            label=group.label,
            y=group.y,
            cells=[
                Cell(
                    count=count,
                    percent=bar.percent if count is not None else 0.0,
                    width=bar.width,
                    y=bar.y,
                    series=bar.series,
                )
                for bar, count in zip(group.bars, counts, strict=True)
            ],
            extra=extra,
        )
        for group, (_label, counts, extra) in zip(geometry.groups, rows, strict=True)
    ]
    return Chart(
        key=key,
        title=title,
        label_heading=label_heading,
        series=list(geometry.series),
        rows=chart_rows,
        height=geometry.height,
        extra_heading=extra_heading,
    )


def _month_label(day: datetime.date) -> str:
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def _values(figures: list[ImpactFigure], *, public: bool, groups: Sequence[str] = ()) -> list[dict[str, Any]]:
    rows = [
        {"label": f.label, "value": f.value, "reference": f.reference, "period": f.period, "p": f.participation}
        for f in figures
    ]
    return suppress(rows, ["value"], groups) if public else rows


@dataclass(frozen=True)
class Dashboard:
    run: ImpactRun | None
    charts: list[Chart]
    timeline: Any
    monthly_table: list[tuple[str, int]]
    min_count: int
    public: bool


def dashboard(*, public: bool) -> Dashboard:
    """The latest computed dashboard (two queries), or an empty one before the first computation."""
    from petitions.charts import timeline

    run = ImpactRun.objects.order_by("-computed_at", "-pk").first()
    if run is None:
        return Dashboard(run=None, charts=[], timeline=None, monthly_table=[], min_count=min_count(), public=public)
    by_metric: dict[str, list[ImpactFigure]] = {}
    for figure in run.figures.order_by("position"):
        by_metric.setdefault(figure.metric, []).append(figure)
    charts: list[Chart] = []

    # Over time: every participation together.
    monthly = [f for f in by_metric.get(Metric.MONTHLY_CONTRIBUTIONS, []) if f.participation == ""]
    line = timeline([(f.period, f.value) for f in monthly]) if monthly else None
    monthly_table = [(_month_label(f.period), f.value) for f in monthly]

    participants = [f for f in by_metric.get(Metric.MONTHLY_PARTICIPANTS, []) if f.participation == ""]
    recent = _values(participants[-MONTHS_SHOWN:], public=public)
    charts.append(
        make_chart(
            "months",
            _("Participants per month"),
            _("Month"),
            [(_month_label(row["period"]), [row["value"]], "") for row in recent],
        )
    )

    # The same, by participation, over the last months (one bar per participation).
    per_participation = [f for f in by_metric.get(Metric.MONTHLY_PARTICIPANTS, []) if f.participation]
    kinds = sorted({f.participation for f in per_participation}, key=registry.participation_order)
    recent_months = sorted({f.period for f in per_participation})[-MONTHS_BY_PARTICIPATION:]
    if kinds and recent_months:
        values = _values([f for f in per_participation if f.period in recent_months], public=public, groups=("period",))
        table = {(row["p"], row["period"]): row["value"] for row in values}
        charts.append(
            make_chart(
                "participations",
                _("Participants per month, by participation"),
                _("Month"),
                [(_month_label(month), [table.get((kind, month), 0) for kind in kinds], "") for month in recent_months],
                series=[registry.participation_label(kind) for kind in kinds],
            )
        )

    newcomers = by_metric.get(Metric.NEWCOMERS, [])
    months = sorted({f.period for f in newcomers})[-MONTHS_SHOWN:]
    values = _values([f for f in newcomers if f.period in months], public=public, groups=("period",))
    by_month: dict[datetime.date, dict[str, int | None]] = {}
    for row in values:
        by_month.setdefault(row["period"], {})[row["label"]] = row["value"]
    charts.append(
        make_chart(
            "newcomers",
            _("First-time and returning participants per month"),
            _("Month"),
            [
                (_month_label(month), [by_month[month].get("first_time"), by_month[month].get("returning")], "")
                for month in months
            ],
            series=(_("First time"), _("Returning")),
        )
    )

    districts = _values(by_metric.get(Metric.DISTRICT, []), public=public)
    charts.append(
        make_chart(
            "districts",
            _("Participants by district, and reach per 1,000 inhabitants"),
            _("District"),
            [(row["label"], [row["value"]], _reach(row["value"], row["reference"])) for row in districts],
            extra_heading=_("Per 1,000 inhabitants"),
        )
    )
    for metric, title, heading in (
        (Metric.AGE, _("Participants by age band"), _("Age band")),
        (Metric.CHANNEL, _("Contributions by channel"), _("Channel")),
    ):
        rows = _values(by_metric.get(metric, []), public=public)
        charts.append(make_chart(metric, title, heading, [(row["label"], [row["value"]], "") for row in rows]))
    funnel = by_metric.get(Metric.FUNNEL, [])
    charts.append(
        make_chart(
            "funnel",
            _("From visit to contribution"),
            _("Step"),
            [(f.label, [f.value], "") for f in funnel],
        )
    )
    petitions = by_metric.get(Metric.PETITION_OUTCOMES, [])
    if petitions:
        charts.append(
            make_chart("petitions", _("Petition outcomes"), _("Outcome"), [(f.label, [f.value], "") for f in petitions])
        )
    budgets = by_metric.get(Metric.BUDGET_OUTCOMES, [])
    if budgets:
        charts.append(
            make_chart(
                "budgets",
                _("Budget projects by status"),
                _("Status"),
                [(f.label, [f.value], _money(f.reference)) for f in budgets],
                extra_heading=_("Total cost"),
            )
        )
    polls = _values(by_metric.get(Metric.OPINION_CHANGE, []), public=public)
    if polls:
        # One row per poll (its title), with the panel it is measured on.
        charts.append(
            make_chart(
                "opinion_change",
                _("Deliberative polls: panelists who changed their opinion"),
                _("Poll"),
                [(row["label"], [row["value"]], _panel(row["reference"])) for row in polls],
                extra_heading=_("Panelists who answered before and after"),
            )
        )
    return Dashboard(
        run=run, charts=charts, timeline=line, monthly_table=monthly_table, min_count=min_count(), public=public
    )


def _reach(value: int | None, population: int | None) -> str:
    if value is None or not population:
        return ""
    return formats.number_format(round(1000 * value / population, 1), decimal_pos=1)


def _panel(size: int | None) -> str:
    return formats.number_format(size, force_grouping=True) if size else ""


def _money(amount: int | None) -> str:
    if amount is None:
        return ""
    return _("%(amount)s €") % {"amount": formats.number_format(amount, force_grouping=True)}


def figures_csv_rows(*, public: bool) -> list[dict[str, Any]]:
    """The latest run's figures as flat rows, for the dashboard's CSV export."""
    run = ImpactRun.objects.order_by("-computed_at", "-pk").first()
    if run is None:
        return []
    figures = list(run.figures.order_by("position"))
    rows = [
        {
            "metric": f.metric,
            "participation": f.participation,
            "month": f.period,
            "label": f.label,
            "value": f.value,
            "reference": f.reference,
            "computed_at": run.computed_at,
        }
        for f in figures
    ]
    if public:
        suppressed_metrics = {
            Metric.DISTRICT,
            Metric.AGE,
            Metric.CHANNEL,
            Metric.NEWCOMERS,
            Metric.MONTHLY_PARTICIPANTS,
            Metric.OPINION_CHANGE,
        }
        small = [row for row in rows if row["metric"] in suppressed_metrics]
        kept = {id(row) for row in small}
        hidden = suppress(small, ["value"], ("metric", "participation", "month"))
        replacement = iter(hidden)
        rows = [next(replacement) if id(row) in kept else row for row in rows]
    return rows
