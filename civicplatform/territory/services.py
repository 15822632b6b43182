"""Writes to the territory: the municipality and its districts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicplatform.territory.loaders import DistrictRow
from civicplatform.territory.models import District, Municipality
from civicplatform.territory.selectors import municipality_get

# Five digits, or 2A/2B + three digits for Corsica.
INSEE_CODE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int


def municipality_set(
    *,
    name: str | None = None,
    insee_code: str | None = None,
    registered_electors: int | None = None,
    population: int | None = None,
    is_commune: bool | None = None,
) -> Municipality:
    """Create the municipality, or update the given fields of the existing one."""
    if insee_code is not None:
        insee_code = insee_code.strip().upper()
        if not INSEE_CODE_RE.match(insee_code):
            raise ValidationError(
                _("“%(code)s” is not an INSEE code (five characters, such as 45234 or 2A004).") % {"code": insee_code}
            )
    if registered_electors is not None and registered_electors < 0:
        raise ValidationError(_("The number of registered electors cannot be negative."))
    if population is not None and population < 0:
        raise ValidationError(_("The population cannot be negative."))
    municipality = municipality_get()
    if municipality is None:
        if not name or not insee_code:
            raise ValidationError(_("There is no municipality yet: give its name and its INSEE code."))
        municipality = Municipality(name=name, insee_code=insee_code)
    changes = {
        "name": name,
        "insee_code": insee_code,
        "registered_electors": registered_electors,
        "population": population,
        "is_commune": is_commune,
    }
    for field, value in changes.items():
        if value is not None and value != "":
            setattr(municipality, field, value)
    municipality.full_clean()
    municipality.save()
    return municipality


@transaction.atomic
def districts_load(*, municipality: Municipality, rows: list[DistrictRow]) -> LoadResult:
    """Create or update districts by slug; districts absent from `rows` are kept.

    Loading the same file twice changes nothing. Districts are never deleted
    here: residents and processes point to them.
    """
    created = updated = 0
    existing = {district.slug: district for district in District.objects.filter(municipality=municipality)}
    for row in rows:
        district = existing.get(row.slug)
        values = {
            "name": row.name,
            "postal_codes": list(row.postal_codes),
            "population": row.population,
        }
        # A CSV has no outline: keep the one a GeoJSON load gave earlier.
        if row.outline is not None:
            values["outline"] = row.outline
        if district is None:
            district = District(municipality=municipality, slug=row.slug, **values)
            district.full_clean()
            district.save()
            created += 1
            continue
        if any(getattr(district, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(district, key, value)
            district.full_clean()
            district.save()
            updated += 1
    return LoadResult(created=created, updated=updated)
