"""The datasets each participation tool publishes as open data.

Open data never imports a participation app from its views: a provider (in
`opendata/providers/`, one module per app) registers datasets here when its app
is installed, and the open-data page, the downloads, the DCAT catalogue and the
API read this registry. Adding a tool is adding one provider module.

A dataset is a flat table (one header row, typed columns), optionally with a
GeoJSON rendering of its located rows and extra files (the pabulib ballots).
Rows must only hold aggregates or anonymous records: never a name, an e-mail, an
account id or anything that singles out a person. Count columns listed in
`suppressed` are blanked below `OPENDATA_MIN_COUNT` (see opendata.suppression).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


class ColumnType:
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str | Promise


@dataclass(frozen=True)
class ExtraFile:
    """A file published next to the table (e.g. one pabulib `.pb` per budget)."""

    title: str
    url: str  # site-relative
    media_type: str
    format: str  # short name shown to people and in DCAT: "PB", "CSV"...


Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Dataset:
    key: str  # slug, stable: it is part of download URLs and of the DCAT identifiers
    participation: str  # one of PARTICIPATIONS
    title: str | Promise
    description: str | Promise
    columns: tuple[Column, ...]
    rows: Callable[[], Rows]
    # Count columns blanked when small, and the columns that group rows for the
    # complementary suppression (so a hidden count cannot be recovered by subtraction).
    suppressed: tuple[str, ...] = ()
    suppression_groups: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    geojson: Callable[[Rows], dict[str, Any]] | None = None
    extra_files: Callable[[], list[ExtraFile]] | None = None
    modified: Callable[[], datetime.datetime | None] | None = None
    order: int = 100

    @property
    def has_geojson(self) -> bool:
        return self.geojson is not None

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


# Participations, in the order of the open-data page.
PARTICIPATIONS: dict[str, Any] = {}
_datasets: dict[str, Dataset] = {}


def register_participation(key: str, label: str | Promise, order: int = 100) -> None:
    PARTICIPATIONS[key] = (order, label)


def participation_order(key: str) -> int:
    return PARTICIPATIONS.get(key, (999, key))[0]


def participation_label(key: str) -> str:
    return str(PARTICIPATIONS.get(key, (0, key))[1])


def register_dataset(dataset: Dataset) -> None:
    if dataset.participation not in PARTICIPATIONS:
        raise ValueError(f"Register the participation {dataset.participation!r} first.")
    _datasets[dataset.key] = dataset


def datasets(participation: str | None = None) -> list[Dataset]:
    """Every registered dataset, by participation then order."""
    found = [d for d in _datasets.values() if participation is None or d.participation == participation]
    return sorted(found, key=lambda d: (PARTICIPATIONS[d.participation][0], d.order, d.key))


def get_dataset(key: str) -> Dataset | None:
    return _datasets.get(key)


def grouped() -> list[tuple[str, str, list[Dataset]]]:
    """(participation key, label, datasets) for every participation that has a dataset."""
    result = []
    for key, (_order, label) in sorted(PARTICIPATIONS.items(), key=lambda item: item[1][0]):
        found = datasets(key)
        if found:
            result.append((key, str(label), found))
    return result


def unregister_dataset(key: str) -> None:
    """For tests that register a throw-away dataset."""
    _datasets.pop(key, None)


# ------------------------------------------------------------------------------
# Participation events for the impact dashboards
# ------------------------------------------------------------------------------
# An activity source yields one Contribution per act of participation (a vote, a
# signature, a comment, a project proposed...). `person` is an opaque key used
# only to count distinct and returning participants inside the computation; it is
# never stored.


@dataclass(frozen=True)
class Contribution:
    person: str
    day: datetime.date
    participation: str
    channel: str = "online"  # online, desk, paper
    district_id: int | None = None
    birth_year: int | None = None


ActivitySource = Callable[[], Iterable[Contribution]]
_activity_sources: dict[str, ActivitySource] = {}


def register_activity(key: str, source: ActivitySource) -> None:
    _activity_sources[key] = source


def activity_sources() -> dict[str, ActivitySource]:
    return dict(sorted(_activity_sources.items()))


# Outcomes: (label, count, amount or None) rows, e.g. projects by status; keyed by the
# dashboard metric they fill ("budget_outcomes", "petition_outcomes").
OutcomeSource = Callable[[], list[tuple[str, int, int | None]]]
_outcome_sources: dict[str, OutcomeSource] = {}


def register_outcomes(metric: str, source: OutcomeSource) -> None:
    _outcome_sources[metric] = source


def outcome_sources() -> dict[str, OutcomeSource]:
    return dict(_outcome_sources)


# ------------------------------------------------------------------------------
# Feeds and embeddable widgets, listed on the open-data page
# ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    participation: str
    title: str
    url: str  # site-relative


LinkSource = Callable[[], list[Link]]
_feed_sources: dict[str, LinkSource] = {}
_widget_sources: dict[str, LinkSource] = {}


def register_feeds(key: str, source: LinkSource) -> None:
    _feed_sources[key] = source


def register_widgets(key: str, source: LinkSource) -> None:
    """`source` lists the widgets that exist now (one per open petition, per counted budget...)."""
    _widget_sources[key] = source


def feeds() -> list[Link]:
    return [link for _key, source in sorted(_feed_sources.items()) for link in source()]


def widgets() -> list[Link]:
    return [link for _key, source in sorted(_widget_sources.items()) for link in source()]


def columns(*specs: Sequence[Any]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


__all__ = [
    "Column",
    "ColumnType",
    "Dataset",
    "ExtraFile",
    "datasets",
    "get_dataset",
    "grouped",
    "register_dataset",
    "register_participation",
    "columns",
    "Contribution",
    "register_activity",
    "activity_sources",
    "register_outcomes",
    "outcome_sources",
    "Link",
    "register_feeds",
    "register_widgets",
    "feeds",
    "widgets",
]
