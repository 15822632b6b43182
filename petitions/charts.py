"""Server-rendered charts: the signature timeline and the district map, as plain SVG geometry.

No script and no tile server: the templates draw the numbers computed here,
and each chart has a data table next to it for screen readers and for
anyone who prefers numbers.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

WIDTH = 640
HEIGHT = 240
MARGIN_LEFT = 56
MARGIN_BOTTOM = 28
MARGIN_TOP = 12
MARGIN_RIGHT = 12
BUCKETS = 5


@dataclass(frozen=True)
class TimelinePoint:
    day: datetime.date
    daily: int
    total: int


@dataclass(frozen=True)
class Timeline:
    points: list[TimelinePoint]
    polyline: str
    area: str
    y_ticks: list[tuple[float, int]]
    x_ticks: list[tuple[float, datetime.date]]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = MARGIN_LEFT
    plot_bottom: int = HEIGHT - MARGIN_BOTTOM
    plot_right: int = WIDTH - MARGIN_RIGHT


def _nice_step(maximum: int, ticks: int = 4) -> int:
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return int(factor * magnitude)
    return int(10 * magnitude)


def timeline(daily_counts: Sequence[tuple[datetime.date, int]], *, start: datetime.date | None = None) -> Timeline:
    """Cumulative signatures per day, from the first day (or `start`) to the last, gaps filled with zero."""
    by_day = dict(daily_counts)
    if not by_day:
        return Timeline(points=[], polyline="", area="", y_ticks=[], x_ticks=[])
    first = min([*by_day, start] if start else by_day)
    last = max(by_day)
    points, total, day = [], 0, first
    while day <= last:
        total += by_day.get(day, 0)
        points.append(TimelinePoint(day=day, daily=by_day.get(day, 0), total=total))
        day += datetime.timedelta(days=1)
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = _nice_step(total)
    top = max(step * math.ceil(total / step), 1)
    span = max(len(points) - 1, 1)

    def x(index: int) -> float:
        return round(MARGIN_LEFT + plot_width * index / span, 1)

    def y(value: int) -> float:
        return round(MARGIN_TOP + plot_height * (1 - value / top), 1)

    coordinates = [(x(index), y(point.total)) for index, point in enumerate(points)]
    if len(coordinates) == 1:
        coordinates.append((x(1), coordinates[0][1]))
    polyline = " ".join(f"{cx},{cy}" for cx, cy in coordinates)
    bottom = HEIGHT - MARGIN_BOTTOM
    area = f"{coordinates[0][0]},{bottom} {polyline} {coordinates[-1][0]},{bottom}"
    y_ticks = [(y(value), value) for value in range(0, top + 1, step)]
    label_every = max(1, math.ceil(len(points) / 4))
    x_ticks = [(x(index), point.day) for index, point in enumerate(points) if index % label_every == 0]
    return Timeline(points=points, polyline=polyline, area=area, y_ticks=y_ticks, x_ticks=x_ticks)


# ---------------------------------------------------------------------------- map


@dataclass(frozen=True)
class MapArea:
    name: str
    count: int
    path: str
    bucket: int
    label_x: float
    label_y: float


@dataclass(frozen=True)
class DistrictMap:
    areas: list[MapArea]
    width: int
    height: int
    legend: list[tuple[int, int, int]]  # (bucket, from, to)


def _rings(geojson: Any) -> list[list[list[float]]]:
    """Every outer and inner ring of a GeoJSON geometry, feature or feature collection."""
    if not isinstance(geojson, dict):
        return []
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        return [ring for feature in geojson.get("features") or [] for ring in _rings(feature)]
    if kind == "Feature":
        return _rings(geojson.get("geometry"))
    coordinates = geojson.get("coordinates") or []
    if kind == "Polygon":
        return [ring for ring in coordinates if len(ring) >= 3]
    if kind == "MultiPolygon":
        return [ring for polygon in coordinates for ring in polygon if len(ring) >= 3]
    return []


def district_map(districts: Iterable[tuple[str, Any, int]], *, width: int = 480) -> DistrictMap | None:
    """A choropleth of (name, GeoJSON outline, count): a flat projection (longitudes shrunk by
    the cosine of the mean latitude) is exact enough at the scale of one municipality."""
    shapes = []
    for name, outline, count in districts:
        rings = [[(float(point[0]), float(point[1])) for point in ring] for ring in _rings(outline)]
        if rings:
            shapes.append((name, rings, count))
    if not shapes:
        return None
    lons = [lon for _n, rings, _c in shapes for ring in rings for lon, _lat in ring]
    lats = [lat for _n, rings, _c in shapes for ring in rings for _lon, lat in ring]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * shrink, 1e-9)
    span_y = max(max(lats) - min(lats), 1e-9)
    padding = 8
    scale = (width - 2 * padding) / span_x
    height = round(span_y * scale + 2 * padding)
    maximum = max(count for _n, _r, count in shapes) or 1

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(padding + (lon - min(lons)) * shrink * scale, 1),
            round(padding + (max(lats) - lat) * scale, 1),
        )

    areas = []
    for name, rings, count in shapes:
        parts, xs, ys = [], [], []
        for ring in rings:
            projected = [project(lon, lat) for lon, lat in ring]
            xs.extend(px for px, _py in projected)
            ys.extend(py for _px, py in projected)
            parts.append("M" + " L".join(f"{px},{py}" for px, py in projected) + " Z")
        bucket = 0 if count == 0 else min(BUCKETS - 1, 1 + int((BUCKETS - 1) * (count - 1) / maximum))
        areas.append(
            MapArea(
                name=name,
                count=count,
                path=" ".join(parts),
                bucket=bucket,
                label_x=round(sum(xs) / len(xs), 1),
                label_y=round(sum(ys) / len(ys), 1),
            )
        )
    legend = []
    for bucket in range(BUCKETS):
        members = [area.count for area in areas if area.bucket == bucket]
        if members:
            legend.append((bucket, min(members), max(members)))
    return DistrictMap(areas=areas, width=width, height=height, legend=legend)
