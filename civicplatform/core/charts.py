"""Horizontal bar charts drawn on the server as plain SVG, with the same numbers in a table.

Any app can chart a distribution (answers per option, votes per choice) without a script:
`bar_chart()` computes the geometry and a template draws it, followed by a data table for
screen readers and for anyone who prefers numbers (consultations/charts/_bars.html is one,
kept in its app with its own translations). Bar widths are
percentages of the chart's width, so a chart fits a 320 px phone as well as a desktop.
Several series (for example "before" and "after") are drawn as grouped bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# A label line, then one bar per series.
LABEL_HEIGHT = 20
BAR_HEIGHT = 14
BAR_GAP = 4
GROUP_GAP = 10


@dataclass(frozen=True)
class Bar:
    series: int
    count: int
    percent: float  # share of the series total, 0-100
    width: float  # bar length as a percentage of the chart's width
    y: int


@dataclass(frozen=True)
class BarGroup:
    label: str
    y: int
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    groups: list[BarGroup]
    series: list[str]
    totals: list[int]
    height: int

    @property
    def has_series(self) -> bool:
        return len(self.series) > 1


def bar_chart(
    rows: Sequence[tuple[Any, Sequence[int]]],
    *,
    series: Sequence[Any] = ("",),
    totals: Sequence[int] | None = None,
) -> BarChart:
    """`rows` are (label, one count per series); percentages are of `totals` (per series;
    by default the sum of each series). The longest bar spans 80 % of the width, leaving
    room for its value."""
    series = [str(name) for name in series]
    if totals is None:
        totals = [sum(counts[index] for _label, counts in rows) for index in range(len(series))]
    totals = list(totals)
    peak = max((max(counts) for _label, counts in rows if counts), default=0) or 1
    groups, y = [], 0
    for label, counts in rows:
        bars = []
        for index, count in enumerate(counts):
            total = totals[index] or 0
            bars.append(
                Bar(
                    series=index,
                    count=count,
                    percent=round(100 * count / total, 1) if total else 0.0,
                    width=round(80 * count / peak, 1),
                    y=y + LABEL_HEIGHT + index * (BAR_HEIGHT + BAR_GAP),
                )
            )
        groups.append(BarGroup(label=str(label), y=y, bars=bars))
        y += LABEL_HEIGHT + len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    return BarChart(groups=groups, series=series, totals=totals, height=max(y, 1))
