"""Helpers for the tally-engine tests: tiny hand-made elections and the shared pabulib files."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings

from budgets.tally import Ballot, Election, Project
from civicplatform.env import env_bool

# ../shared/data/pabulib/ next to the clone: real elections and pabutools' reference outcomes.
PABULIB = Path(settings.BASE_DIR).parent / "shared" / "data" / "pabulib"
PB_FILES = sorted(PABULIB.glob("*.pb"))
FILE_IDS = [path.stem for path in PB_FILES]


def require_pabulib() -> Path:
    """The shared folder; in CI (CI=true) its absence fails the test instead of skipping it."""
    if PB_FILES and (PABULIB / "expected.json").is_file():
        return PABULIB
    message = f"the shared pabulib files are missing: {PABULIB}"
    if env_bool("CI", False):
        pytest.fail(message)
    pytest.skip(message)


def expected() -> dict:
    return json.loads((require_pabulib() / "expected.json").read_text(encoding="utf-8"))


def make_election(
    costs: dict[str, int | str],
    ballots: list[tuple[str, ...] | tuple[tuple[str, ...], tuple[int, ...]]],
    *,
    budget: int | str,
    vote_type: str = "approval",
    **meta: str,
) -> Election:
    """An election from {id: cost} and one entry per voter: ids, or (ids, points) for points ballots."""
    counted: dict[tuple, int] = {}
    for entry in ballots:
        key = entry if entry and isinstance(entry[0], tuple) else (entry, None)
        counted[key] = counted.get(key, 0) + 1
    return Election(
        meta={
            "description": "test",
            "country": "France",
            "unit": "Test",
            "instance": "2026",
            "budget": str(budget),
            "vote_type": vote_type,
            "rule": "greedy",
            **meta,
        },
        projects={pid: Project(id=pid, cost=Fraction(str(cost))) for pid, cost in costs.items()},
        ballots=[
            Ballot(projects=projects, multiplicity=count, points=points)
            for (projects, points), count in counted.items()
        ],
    )


def random_election(rng: random.Random, vote_type: str) -> Election:
    """A small random election with many ties (few distinct costs and vote counts)."""
    ids = [str(number) for number in rng.sample(range(1, 30), rng.randint(2, 9))]
    costs = {pid: rng.choice([100, 150, 200, 250, 300, 1000]) for pid in ids}
    ballots: list = []
    for _ in range(rng.randint(1, 25)):
        chosen = rng.sample(ids, rng.randint(0 if vote_type == "approval" else 1, min(4, len(ids))))
        if vote_type == "approval":
            ballots.append(tuple(chosen))
        else:
            points = sorted((rng.randint(1, 5) for _ in chosen), reverse=True)
            ballots.append((tuple(chosen), tuple(points)))
    return make_election(costs, ballots, budget=rng.choice([300, 500, 700, 1000, 1234]), vote_type=vote_type)
