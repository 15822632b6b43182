"""The verifiable draw: the index rule, the published files and what verification catches."""

from __future__ import annotations

import json

import pytest

from ..sortition import draw

POOL = [
    {"id": "P-A", "household": "H-1", "gender": "f", "age": "young"},
    {"id": "P-B", "household": "H-2", "gender": "m", "age": "old"},
    {"id": "P-C", "household": "H-3", "gender": "f", "age": "old"},
    {"id": "P-D", "household": "H-3", "gender": "m", "age": "young"},
    {"id": "P-E", "household": "H-5", "gender": "m", "age": "young"},
]
QUOTAS = [
    {"feature": "gender", "value": "f", "min": 1, "max": 1},
    {"feature": "gender", "value": "m", "min": 1, "max": 1},
    {"feature": "age", "value": "young", "min": 0, "max": 2},
    {"feature": "age", "value": "old", "min": 0, "max": 2},
]
PANELS = [["P-A", "P-B"], ["P-A", "P-E"], ["P-C", "P-B"], ["P-C", "P-E"]]


def published_files(*, dice: str = "4073", seeds: list[str] | None = None, commitments: list[str] | None = None):
    seeds = seeds or []
    pool = draw.pool_csv(POOL, ["gender", "age"])
    quotas = draw.quotas_csv(QUOTAS)
    settings = draw.canonical_json(
        {
            "rule": draw.RULE,
            "panel_size": 2,
            "lottery_size": len(PANELS),
            "seed_commitments": commitments if commitments is not None else [draw.sha256_hex(s) for s in seeds],
        }
    )
    commitment = draw.commitment_of(draw.sha256_hex(pool), draw.sha256_hex(quotas), draw.sha256_hex(settings))
    panels = draw.panels_json(commitment, PANELS, {"P-A": 0.5})
    index = draw.draw_index(panels_sha256=draw.sha256_hex(panels), dice=dice, seeds=seeds, size=len(PANELS))
    audit = draw.canonical_json(
        {
            "commitment": commitment,
            "hashes": {
                "pool.csv": draw.sha256_hex(pool),
                "quotas.csv": draw.sha256_hex(quotas),
                "settings.json": draw.sha256_hex(settings),
                "panels.json": draw.sha256_hex(panels),
            },
            "panel_number": index + 1,
            "selected": PANELS[index],
        }
    )
    return {
        "pool.csv": pool,
        "quotas.csv": quotas,
        "settings.json": settings,
        "panels.json": panels,
        "randomness.json": draw.canonical_json({"dice": dice, "seeds": seeds}),
        "audit.json": audit,
    }


def test_index_is_reproducible_and_in_range():
    first = draw.draw_index(panels_sha256="ab" * 32, dice="1 2 3", seeds=["x"], size=1000)
    assert first == draw.draw_index(panels_sha256="ab" * 32, dice="123", seeds=["x"], size=1000)
    assert 0 <= first < 1000


def test_index_changes_with_every_input():
    base = {"panels_sha256": "ab" * 32, "dice": "123", "seeds": ["x"], "size": 1000}
    indices = {
        draw.draw_index(**base),
        draw.draw_index(**{**base, "dice": "124"}),
        draw.draw_index(**{**base, "seeds": ["y"]}),
        draw.draw_index(**{**base, "panels_sha256": "cd" * 32}),
    }
    assert len(indices) == 4


def test_index_is_close_to_uniform():
    counts = [0] * 10
    for n in range(5000):
        counts[draw.draw_index(panels_sha256=str(n), dice="", seeds=[], size=10)] += 1
    assert min(counts) > 400 and max(counts) < 600


def test_index_rejects_values_above_the_last_full_multiple(monkeypatch):
    # With size 3, 2^256 mod 3 = 1: the single largest value must be rejected, not mapped to 0.
    class FakeDigest:
        def __init__(self, value):
            self.value = value

        def digest(self):
            return self.value.to_bytes(32, "big")

    values = iter([2**256 - 1, 5])
    monkeypatch.setattr(draw.hashlib, "sha256", lambda data: FakeDigest(next(values)))
    assert draw.draw_index(panels_sha256="x", dice="1", seeds=[], size=3) == 5 % 3


def test_published_draw_verifies():
    result = draw.verify(published_files(seeds=["graine-1", "graine-2"]))
    assert result.ok, [c for c in result.checks if not c.ok]
    assert result.panel in PANELS


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("pool.csv", lambda text: text.replace("P-E,H-5,young,m", "P-E,H-5,young,f")),
        ("quotas.csv", lambda text: text.replace("gender,f,1,1", "gender,f,0,1")),
        ("randomness.json", lambda text: text.replace("4073", "4074")),
        ("panels.json", lambda text: text.replace('"P-A","P-B"', '"P-A","P-C"')),
    ],
)
def test_tampering_with_any_file_fails_verification(name, change):
    files = published_files()
    tampered = change(files[name])
    assert tampered != files[name]
    files[name] = tampered
    assert not draw.verify(files).ok


def test_a_seed_that_does_not_match_its_published_hash_fails():
    files = published_files(seeds=["graine-1"], commitments=[draw.sha256_hex("autre-graine")])
    result = draw.verify(files)
    assert not result.ok
    assert not next(c for c in result.checks if c.name.startswith("seeds")).ok


def test_panels_breaking_households_or_quotas_are_reported():
    pool = {row["id"]: row for row in POOL}
    assert "1 household(s) with more than one member" in draw.panel_problems(["P-C", "P-D"], pool, QUOTAS, 2)
    problems = draw.panel_problems(["P-A", "P-C"], pool, QUOTAS, 2)
    assert any(p.startswith("gender=f: 2") for p in problems)


def test_missing_files_are_reported():
    files = published_files()
    del files["audit.json"]
    result = draw.verify(files)
    assert not result.ok
    assert "audit.json" in result.checks[0].detail


def test_canonical_json_is_stable():
    assert draw.canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'
    assert json.loads(draw.canonical_json({"x": [1, 2]})) == {"x": [1, 2]}
