"""The verifiable public draw: canonical files, their hashes, and the rule that picks a panel.

Procedure (published on every draw page, rerun by ``manage.py jury_verify``):

1. Before the draw, the pool (pseudonymous ids, household labels, feature values), the
   quotas and the settings are published as canonical files; their SHA-256 hashes and the
   hash of the three together (the *commitment*) are fixed in the audit log. Parties who
   will contribute a secret seed publish SHA-256(seed) in the settings at that point.
2. The fair distribution is rounded to m equally likely panels (m = ``lottery_size``,
   e.g. 1,000) by pipage rounding seeded with the commitment; the numbered list
   (``panels.json``) and its hash are published before any randomness is known.
3. Public randomness: the results of witnessed ten-sided dice (entered digit by digit)
   and/or the seeds revealed by the parties (each checked against its published hash).
4. Index rule ``juries-draw-v1``, language-neutral, without modulo bias:
   ``material`` = the canonical JSON of {"dice", "panels_sha256", "seeds"};
   for c = 0, 1, 2, ...: h = SHA-256(material + ":" + decimal c) read as a 256-bit
   big-endian integer; accept the first h below L = 2^256 - (2^256 mod m);
   the panel is number (h mod m) + 1 in the list.

Canonical forms: CSV with "\\n" line ends, UTF-8, rows sorted; JSON with sorted keys,
separators "," and ":", UTF-8 without escaping non-ASCII.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

RULE = "juries-draw-v1"
FILES = ("pool.csv", "quotas.csv", "settings.json", "panels.json", "randomness.json", "audit.json")


def sha256_hex(data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def pool_csv(people: Iterable[Mapping[str, str]], feature_keys: Sequence[str]) -> str:
    """Pool rows (``id``, ``household`` and one key per feature) as canonical CSV, sorted by id."""
    keys = sorted(feature_keys)
    rows = sorted(([p["id"], p["household"], *(p[k] for k in keys)] for p in people), key=lambda r: r[0])
    return _csv(["id", "household", *keys], rows)


def quotas_csv(quotas: Iterable[Mapping[str, Any]]) -> str:
    rows = sorted(([q["feature"], q["value"], int(q["min"]), int(q["max"])] for q in quotas), key=lambda r: r[:2])
    return _csv(["feature", "value", "min", "max"], rows)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def commitment_of(pool_hash: str, quotas_hash: str, settings_hash: str) -> str:
    return sha256_hex(f"{pool_hash}\n{quotas_hash}\n{settings_hash}\n")


def rounding_seed(commitment: str) -> int:
    """The seed of the pipage rounding, fixed by the commitment (positive, 63 bits)."""
    return int(commitment[:15], 16) or 1


def panels_json(commitment: str, panels: Sequence[Sequence[str]], probabilities: Mapping[str, float]) -> str:
    return canonical_json(
        {
            "commitment": commitment,
            "panels": [sorted(p) for p in panels],
            "probabilities": {k: round(v, 6) for k, v in sorted(probabilities.items())},
        }
    )


def normalise_dice(dice: str) -> str:
    """Ten-sided dice results as a string of digits; separators are dropped."""
    return "".join(ch for ch in dice if ch.isdigit())


def draw_index(*, panels_sha256: str, dice: str, seeds: Sequence[str], size: int) -> int:
    """Rule juries-draw-v1: a 0-based index into the list of `size` panels (see module docstring)."""
    if size < 1:
        raise ValueError("size must be positive")
    material = canonical_json({"dice": normalise_dice(dice), "panels_sha256": panels_sha256, "seeds": list(seeds)})
    limit = 2**256 - (2**256 % size)
    counter = 0
    while True:
        value = int.from_bytes(hashlib.sha256(f"{material}:{counter}".encode()).digest(), "big")
        if value < limit:
            return value % size
        counter += 1


def panel_problems(
    panel: Sequence[str], pool: Mapping[str, Mapping[str, str]], quotas: Sequence[Mapping[str, str]], size: int
) -> list[str]:
    """What makes `panel` invalid: wrong size, unknown or repeated people, quotas, two from one household."""
    problems: list[str] = []
    if len(panel) != size:
        problems.append(f"{len(panel)} members instead of {size}")
    if len(set(panel)) != len(panel):
        problems.append("someone appears twice")
    unknown = [p for p in panel if p not in pool]
    if unknown:
        problems.append(f"not in the pool: {', '.join(unknown[:5])}")
        return problems
    households = Counter(pool[p]["household"] for p in panel)
    shared = [h for h, count in households.items() if count > 1]
    if shared:
        problems.append(f"{len(shared)} household(s) with more than one member")
    for quota in quotas:
        count = sum(1 for p in panel if pool[p][quota["feature"]] == quota["value"])
        if not int(quota["min"]) <= count <= int(quota["max"]):
            problems.append(f"{quota['feature']}={quota['value']}: {count} not in {quota['min']}–{quota['max']}")
    return problems


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class Verification:
    checks: list[Check] = field(default_factory=list)
    index: int | None = None
    panel: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    def add(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks.append(Check(name, ok, detail))


def verify(files: Mapping[str, str]) -> Verification:
    """Recompute a draw from its published files (name → text) and say what holds."""
    result = Verification()
    missing = [name for name in FILES if name not in files]
    if missing:
        result.add("files", False, f"missing: {', '.join(missing)}")
        return result
    audit = json.loads(files["audit.json"])
    settings = json.loads(files["settings.json"])
    randomness = json.loads(files["randomness.json"])
    panels_doc = json.loads(files["panels.json"])

    hashes = {
        "pool.csv": sha256_hex(files["pool.csv"]),
        "quotas.csv": sha256_hex(files["quotas.csv"]),
        "settings.json": sha256_hex(files["settings.json"]),
        "panels.json": sha256_hex(files["panels.json"]),
    }
    for name in ("pool.csv", "quotas.csv", "settings.json", "panels.json"):
        published = audit.get("hashes", {}).get(name, "")
        result.add(f"hash {name}", hashes[name] == published, hashes[name])
    commitment = commitment_of(hashes["pool.csv"], hashes["quotas.csv"], hashes["settings.json"])
    result.add("commitment", commitment == audit.get("commitment") == panels_doc.get("commitment"), commitment)
    result.add("rule", settings.get("rule") == RULE, str(settings.get("rule")))

    seeds = list(randomness.get("seeds", []))
    published_commitments = list(settings.get("seed_commitments", []))
    seeds_ok = sorted(sha256_hex(seed) for seed in seeds) == sorted(published_commitments)
    result.add("seeds match their published hashes", seeds_ok, f"{len(seeds)} seed(s)")
    result.add("public randomness present", bool(normalise_dice(randomness.get("dice", "")) or seeds))

    pool = {row["id"]: row for row in read_csv(files["pool.csv"])}
    quotas = read_csv(files["quotas.csv"])
    size = int(settings["panel_size"])
    panels = panels_doc.get("panels", [])
    lottery_size = int(settings["lottery_size"])
    result.add("number of panels", len(panels) == lottery_size, f"{len(panels)} / {lottery_size}")
    invalid = [(n + 1, panel_problems(panel, pool, quotas, size)) for n, panel in enumerate(panels)]
    invalid = [(n, problems) for n, problems in invalid if problems]
    result.add(
        "every panel respects size, quotas and households",
        not invalid,
        "; ".join(f"panel {n}: {', '.join(p)}" for n, p in invalid[:3]),
    )
    if not panels:
        return result
    index = draw_index(
        panels_sha256=hashes["panels.json"], dice=randomness.get("dice", ""), seeds=seeds, size=len(panels)
    )
    result.index = index
    result.panel = list(panels[index])
    result.add("drawn panel number", audit.get("panel_number") == index + 1, f"{index + 1}")
    result.add("selected people", sorted(audit.get("selected", [])) == sorted(result.panel), f"{len(result.panel)}")
    return result
