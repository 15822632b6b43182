"""Read districts from a CSV or GeoJSON file into plain rows, with errors a person can act on.

CSV columns: name, slug (optional), postal_codes (separated by ";", "," or
spaces), population (optional). GeoJSON: a FeatureCollection whose features
have properties name / slug / postal_codes / population and a Polygon or
MultiPolygon geometry, kept as the district outline.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

POSTAL_CODE_RE = re.compile(r"^\d{5}$")
POSTAL_CODE_SPLIT_RE = re.compile(r"[;,|\s]+")
MAX_ERRORS_SHOWN = 20
# French column names are accepted too: staff often export from French spreadsheets.
CSV_ALIASES = {
    "nom": "name",
    "quartier": "name",
    "codes_postaux": "postal_codes",
    "code_postal": "postal_codes",
    "postal_code": "postal_codes",
}
GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}


class TerritoryFileError(ValueError):
    """The file cannot be loaded; `errors` lists what to fix, one line each."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            more = len(errors) - MAX_ERRORS_SHOWN
            shown.append(
                ngettext("… and %(count)d more error.", "… and %(count)d more errors.", more) % {"count": more}
            )
        super().__init__("\n".join(shown))


@dataclass(frozen=True)
class DistrictRow:
    name: str
    slug: str
    postal_codes: tuple[str, ...]
    population: int
    outline: dict[str, Any] | None = None


def read_districts(path: Path) -> list[DistrictRow]:
    """Parse `path` (by extension: .csv, or .geojson/.json) into district rows."""
    if not path.is_file():
        raise TerritoryFileError([_("File not found: %(path)s") % {"path": path}])
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = parse_csv(decode_text(data))
    elif suffix in {".geojson", ".json"}:
        rows = parse_geojson(decode_text(data))
    else:
        raise TerritoryFileError([_("Unknown file type %(suffix)s: use .csv or .geojson.") % {"suffix": suffix}])
    check_unique_slugs(rows)
    return rows


def decode_text(data: bytes) -> str:
    # Spreadsheets save UTF-8 with a byte-order mark, or Windows-1252 for older French Excel.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def parse_csv(text: str) -> list[DistrictRow]:
    if not text.strip():
        raise TerritoryFileError([_("The file is empty.")])
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = {CSV_ALIASES.get(_clean_header(name), _clean_header(name)) for name in reader.fieldnames or []}
    if "name" not in columns or "postal_codes" not in columns:
        raise TerritoryFileError(
            [
                _("The first line must name the columns: name, postal_codes (and optionally slug, population).")
                + " "
                + _("Found: %(columns)s") % {"columns": ", ".join(reader.fieldnames or []) or "—"}
            ]
        )
    rows: list[DistrictRow] = []
    errors: list[str] = []
    for line_number, raw in enumerate(reader, start=2):
        record = {CSV_ALIASES.get(_clean_header(k), _clean_header(k)): (v or "").strip() for k, v in raw.items() if k}
        if not any(record.values()):
            continue
        row, row_errors = _build_row(record, where=_("Line %(line)d") % {"line": line_number})
        errors.extend(row_errors)
        if row:
            rows.append(row)
    if errors:
        raise TerritoryFileError(errors)
    if not rows:
        raise TerritoryFileError([_("The file has no district.")])
    return rows


def parse_geojson(text: str) -> list[DistrictRow]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TerritoryFileError(
            [_("This is not valid JSON (line %(line)d): %(error)s") % {"line": exc.lineno, "error": exc.msg}]
        ) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise TerritoryFileError([_("A GeoJSON file of districts must be a FeatureCollection.")])
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise TerritoryFileError([_("The FeatureCollection has no features.")])
    rows: list[DistrictRow] = []
    errors: list[str] = []
    for index, feature in enumerate(features, start=1):
        where = _("Feature %(number)d") % {"number": index}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(_("%(where)s: not a GeoJSON Feature.") % {"where": where})
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            errors.append(_("%(where)s: properties must be an object.") % {"where": where})
            continue
        geometry = feature.get("geometry")
        if geometry is not None and (not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES):
            errors.append(_("%(where)s: the geometry must be a Polygon or a MultiPolygon.") % {"where": where})
            continue
        if geometry is not None and not isinstance(geometry.get("coordinates"), list):
            errors.append(_("%(where)s: the geometry has no coordinates.") % {"where": where})
            continue
        record = {
            "name": str(properties.get("name") or properties.get("nom") or "").strip(),
            "slug": str(properties.get("slug") or "").strip(),
            "postal_codes": properties.get("postal_codes", ""),
            "population": properties.get("population", ""),
        }
        row, row_errors = _build_row(record, where=where, outline=geometry)
        errors.extend(row_errors)
        if row:
            rows.append(row)
    if errors:
        raise TerritoryFileError(errors)
    return rows


def check_unique_slugs(rows: list[DistrictRow]) -> None:
    seen: set[str] = set()
    duplicates = []
    for row in rows:
        if row.slug in seen:
            duplicates.append(row.slug)
        seen.add(row.slug)
    if duplicates:
        raise TerritoryFileError(
            [_("Two districts share the slug “%(slug)s”: give each a distinct slug.") % {"slug": s} for s in duplicates]
        )


def _clean_header(name: str | None) -> str:
    return (name or "").strip().lower().replace(" ", "_").replace("-", "_")


def _build_row(
    record: dict[str, Any], *, where: str, outline: dict[str, Any] | None = None
) -> tuple[DistrictRow | None, list[str]]:
    errors: list[str] = []
    name = str(record.get("name") or "").strip()
    if not name:
        errors.append(_("%(where)s: the name is missing.") % {"where": where})
    elif len(name) > 150:
        errors.append(_("%(where)s: the name is longer than 150 characters.") % {"where": where})
    slug = slugify(str(record.get("slug") or "").strip() or name)[:150]
    if name and not slug:
        errors.append(_("%(where)s: give a slug (letters, digits, hyphens).") % {"where": where})

    raw_codes = record.get("postal_codes") or ""
    if isinstance(raw_codes, list):
        codes = [str(code).strip() for code in raw_codes if str(code).strip()]
    else:
        codes = [code for code in POSTAL_CODE_SPLIT_RE.split(str(raw_codes)) if code]
    bad_codes = [code for code in codes if not POSTAL_CODE_RE.match(code)]
    if bad_codes:
        errors.append(
            _("%(where)s: “%(codes)s” is not a postal code (five digits).") % {"where": where, "codes": bad_codes[0]}
        )

    raw_population = record.get("population")
    population = 0
    if raw_population not in (None, ""):
        text = str(raw_population).replace(" ", "").replace("\u202f", "").replace("\xa0", "")
        if isinstance(raw_population, int) and not isinstance(raw_population, bool):
            population = raw_population
        elif text.isdigit():
            population = int(text)
        else:
            population = -1
        if population < 0:
            errors.append(
                _("%(where)s: the population “%(value)s” is not a whole number.")
                % {"where": where, "value": raw_population}
            )
    if errors:
        return None, errors
    return DistrictRow(
        name=name, slug=slug, postal_codes=tuple(dict.fromkeys(codes)), population=population, outline=outline
    ), []
