"""Writing a dataset as CSV, JSON and GeoJSON.

CSV: UTF-8, one header row, comma separated, ISO 8601 dates, a dot for decimals,
an empty cell for a suppressed or unknown value. JSON: the same rows with the
dataset's metadata. Both carry the licence (Licence Ouverte 2.0).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .registry import Dataset, Rows

LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCE_NAME = "Licence Ouverte / Open Licence version 2.0"
# The URI data.gouv.fr recognises for dct:license.
LICENCE_URI = "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf"


def cell(value: Any) -> Any:
    """One value in a portable form: ISO 8601 for dates, dot-decimal numbers."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _csv_text(value: Any) -> str:
    value = cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # always a dot, whatever the locale
    text = str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(dataset: Dataset, rows: Rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = dataset.column_names
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_text(row.get(name)) for name in names])
    return buffer.getvalue()


def to_json(dataset: Dataset, rows: Rows, *, url: str) -> str:
    document = {
        "dataset": dataset.key,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "url": url,
        "license": LICENCE_URI,
        "license_name": LICENCE_NAME,
        "generated_at": cell(timezone.now()),
        "columns": [
            {"name": column.name, "type": column.type, "description": str(column.description)}
            for column in dataset.columns
        ],
        "rows": [{name: cell(row.get(name)) for name in dataset.column_names} for row in rows],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def point_features(rows: Rows, *, latitude: str = "latitude", longitude: str = "longitude") -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946: WGS 84, longitude first) of the rows that have a position."""
    features = []
    for row in rows:
        lat, lon = row.get(latitude), row.get(longitude)
        if lat is None or lon is None:
            continue
        properties = {name: cell(value) for name, value in row.items() if name not in (latitude, longitude)}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def to_geojson(dataset: Dataset, rows: Rows) -> str:
    assert dataset.geojson is not None
    return json.dumps(dataset.geojson(rows), cls=DjangoJSONEncoder, ensure_ascii=False)
