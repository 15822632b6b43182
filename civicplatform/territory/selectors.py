"""Reads about the territory: the municipality and which district a postal code belongs to."""

from __future__ import annotations

from civicplatform.territory.models import District, Municipality


def municipality_get() -> Municipality | None:
    """The municipality running the platform (one row per installation)."""
    return Municipality.objects.order_by("pk").first()


def districts_for_postal_code(postal_code: str) -> list[District]:
    """Every district that lists `postal_code`.

    Filtered in Python: a commune has a few dozen districts at most, and JSON
    containment lookups are not available on SQLite (the newcomer's database).
    """
    code = (postal_code or "").strip()
    if not code:
        return []
    return [district for district in District.objects.order_by("name") if code in (district.postal_codes or [])]


def district_for_postal_code(postal_code: str) -> District | None:
    """The district of `postal_code` when exactly one district has it, else None (unknown or ambiguous)."""
    districts = districts_for_postal_code(postal_code)
    return districts[0] if len(districts) == 1 else None


def postal_code_in_municipality(postal_code: str) -> bool:
    return bool(districts_for_postal_code(postal_code))
