"""Fair selection on the shared pools: time and minimum selection probability per algorithm.

    python -m bench.juries                                  # every shared pool, every algorithm
    python -m bench.juries --pool synth_1200_k50 --algorithms maximin leximin

For each pool of `../shared/data/sortition/` (or `SORTITION_DATA`): the library's own maximin
(`find_distribution_maximin`, CBC), our leximin (`find_distribution_leximin_highs`: CBC pricing, HiGHS LPs)
and, for reference, the legacy greedy method (frequencies over repeated runs), all in the same
process one after the other. Prints a Markdown table for docs/BENCHMARKS.md and writes JSON
under var/bench/.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import time
from pathlib import Path

from consultations.juries.sortition import engine

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SORTITION_DATA", ROOT.parent / "shared" / "data" / "sortition"))

# pool folder: features file, people file, id column, household columns, panel size
POOLS = {
    "sortition_algorithms_fixture150": (
        "features.csv",
        "candidates.csv",
        "nationbuilder_id",
        ["primary_address1", "primary_zip"],
        22,
    ),
    "opendlp_docs_example": ("Categories_csv_example.csv", "Respondents_csv_example.csv", "unique_id", [], 20),
    "synth_1200_k50": ("features.csv", "people.csv", "id", ["address_line1", "postcode"], 50),
}


LABELS = {
    "maximin": "maximin (library, CBC)",
    "leximin": "leximin (ours: types, CBC pricing, HiGHS LP)",
}


def gini(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    total = sum(ordered)
    if not total:
        return 0.0
    return sum((2 * (i + 1) - n - 1) * v for i, v in enumerate(ordered)) / (n * total)


def run(pool: str, algorithms: list[str], legacy_runs: int) -> list[dict]:
    features_file, people_file, id_column, household, size = POOLS[pool]
    with open(DATA / pool / features_file, newline="", encoding="utf-8") as handle:
        feature_rows = [
            row for row in csv.DictReader(handle) if (row.get("feature") or row.get("category") or "").strip()
        ]
        feature_rows = [{k: v for k, v in row.items() if k and k.lower() != "notes"} for row in feature_rows]
    with open(DATA / pool / people_file, newline="", encoding="utf-8") as handle:
        people_rows = list(csv.DictReader(handle))
    features = engine.load_features(feature_rows, size)
    people = engine.load_people(people_rows, features, id_column=id_column, household_columns=household)
    results = []
    for algorithm in algorithms:
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        cpu_started = time.process_time()
        distribution = engine.find_distribution(
            features, people, size, algorithm=algorithm, household_columns=household, legacy_runs=legacy_runs
        )
        elapsed = time.perf_counter() - started
        # The machine is shared: CPU time (this process, solver threads included) is the steadier figure.
        cpu = time.process_time() - cpu_started
        values = list(distribution.marginals.values())
        results.append(
            {
                "pool": pool,
                "n": len(values),
                "k": size,
                "algorithm": LABELS.get(algorithm, algorithm),
                "seconds": round(elapsed, 1),
                "cpu_seconds": round(cpu, 1),
                "load": f"{load_before:.1f}-{os.getloadavg()[0]:.1f}",
                "min": distribution.minimum,
                "max": distribution.maximum,
                "mean": statistics.fmean(values),
                "gini": round(gini(values), 3),
                "panels": len(distribution.panels),
            }
        )
        print(json.dumps(results[-1]), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pool", action="append", choices=sorted(POOLS))
    parser.add_argument("--algorithms", nargs="+", default=["maximin", "leximin", "legacy"], choices=engine.ALGORITHMS)
    parser.add_argument("--legacy-runs", type=int, default=200)
    args = parser.parse_args()
    results = []
    for pool in args.pool or list(POOLS):
        results.extend(run(pool, args.algorithms, args.legacy_runs))
    print("\n| pool (n / k) | algorithm | time (wall / CPU) | load | min probability | max | Gini | panels |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['pool']} ({r['n']} / {r['k']}) | {r['algorithm']} | {r['seconds']} s / {r['cpu_seconds']} s "
            f"| {r['load']} | {r['min']:.3%} | {r['max']:.1%} | {r['gini']} | {r['panels']} |"
        )
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "juries.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
