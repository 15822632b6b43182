"""The server-drawn timeline and district map compute what the templates draw."""

from __future__ import annotations

import datetime

from petitions import charts

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[1.90, 47.90], [1.91, 47.90], [1.91, 47.91], [1.90, 47.91], [1.90, 47.90]]],
}
EAST = {
    "type": "Feature",
    "geometry": {
        "type": "MultiPolygon",
        "coordinates": [[[[1.91, 47.90], [1.92, 47.90], [1.92, 47.91], [1.91, 47.91], [1.91, 47.90]]]],
    },
}


def test_the_timeline_is_cumulative_and_fills_days_without_signatures():
    day = datetime.date(2026, 3, 1)
    timeline = charts.timeline(
        [(day, 5), (day + datetime.timedelta(days=2), 3)], start=day - datetime.timedelta(days=1)
    )
    assert [(p.day.day, p.daily, p.total) for p in timeline.points] == [(28, 0, 0), (1, 5, 5), (2, 0, 5), (3, 3, 8)]
    assert len(timeline.polyline.split()) == 4
    assert timeline.y_ticks[0][1] == 0
    assert timeline.y_ticks[-1][1] >= 8


def test_an_empty_timeline_draws_nothing():
    assert charts.timeline([]).points == []


def test_the_map_draws_each_outlined_district_darker_where_more_people_signed():
    drawn = charts.district_map([("Centre", SQUARE, 40), ("Est", EAST, 0), ("Sans contour", None, 12)])
    assert [area.name for area in drawn.areas] == ["Centre", "Est"]
    centre, east = drawn.areas
    assert centre.bucket == 4
    assert east.bucket == 0
    assert centre.path.startswith("M") and centre.path.endswith("Z")
    assert 0 < centre.label_x < drawn.width
    # The two squares side by side make a map twice as wide as high (longitudes shrunk by cos 47.9°).
    assert 0.6 < drawn.height / drawn.width < 0.8


def test_no_outline_means_no_map():
    assert charts.district_map([("Centre", None, 3)]) is None
