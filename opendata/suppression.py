"""Statistical secrecy: small counts are blanked before anything is published.

A count of 1 to OPENDATA_MIN_COUNT - 1 people in a cell (a petition signed by
two people of one district on one day) can point at a person; such cells are
published empty, with the reason in the dataset's description. When exactly one
cell of a group is hidden, the next smallest is hidden too, so the hidden value
cannot be found by subtracting the others from a published total (the rule
INSEE applies, and civicplatform.ballots.selectors.suppress_small for ballots).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings


def min_count() -> int:
    return int(getattr(settings, "OPENDATA_MIN_COUNT", 5))


def is_small(value: Any, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < minimum


def suppress(
    rows: list[dict[str, Any]], columns: Sequence[str], groups: Sequence[str] = (), minimum: int | None = None
) -> list[dict[str, Any]]:
    """A copy of `rows` where each small count in `columns` is None, with complementary suppression
    inside each group of rows sharing the values of `groups`."""
    minimum = min_count() if minimum is None else minimum
    result = [dict(row) for row in rows]
    if minimum <= 1 or not columns:
        return result
    for column in columns:
        by_group: dict[tuple, list[int]] = defaultdict(list)
        for index, row in enumerate(result):
            by_group[tuple(row.get(name) for name in groups)].append(index)
        for indexes in by_group.values():
            hidden = {index for index in indexes if is_small(result[index].get(column), minimum)}
            if len(hidden) == 1:
                others = [
                    (result[index][column], index)
                    for index in indexes
                    if index not in hidden and isinstance(result[index].get(column), int) and result[index][column] > 0
                ]
                if others:
                    hidden.add(min(others)[1])
            for index in hidden:
                result[index][column] = None
    return result
