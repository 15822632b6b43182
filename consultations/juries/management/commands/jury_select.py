"""Select a panel from CSV files in the sortition-algorithms format.

    python manage.py jury_select --people people.csv --features features.csv --size 22 \
        --algorithm maximin --json [--id-column id] [--address-columns address_line1 postcode]

Prints the panel, every person's selection probability and the minimum (text, or JSON with
--json). For maximin and leximin the panel is drawn from the fair distribution with the
operating system's CSPRNG; legacy runs the greedy method (probabilities estimated over runs).
"""

from __future__ import annotations

import csv
import json
import secrets

from django.core.management.base import BaseCommand, CommandError

from consultations.juries.sortition import engine


class Command(BaseCommand):
    help = "Select a panel by lot from a pool and quotas in the sortition-algorithms CSV format."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", required=True)
        parser.add_argument("--features", required=True)
        parser.add_argument("--size", type=int, required=True)
        parser.add_argument("--algorithm", choices=engine.ALGORITHMS, default="maximin")
        parser.add_argument("--id-column", default=None, help="default: the first column of the people file")
        parser.add_argument("--address-columns", nargs="*", default=None, help="household columns (default: none)")
        parser.add_argument("--legacy-runs", type=int, default=200)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        try:
            with open(options["features"], newline="", encoding="utf-8-sig") as handle:
                feature_rows = [
                    {k: v for k, v in row.items() if k and k.strip().lower() not in ("notes", "note")}
                    for row in csv.DictReader(handle)
                    if (row.get("feature") or row.get("category") or "").strip()
                ]
            with open(options["people"], newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                people_rows = list(reader)
                id_column = options["id_column"] or (reader.fieldnames or ["id"])[0]
        except OSError as error:
            raise CommandError(str(error)) from error
        households = options["address_columns"] or []
        try:
            with engine.stdout_to_stderr():
                features = engine.load_features(feature_rows, options["size"])
                people = engine.load_people(people_rows, features, id_column=id_column, household_columns=households)
                distribution = engine.find_distribution(
                    features,
                    people,
                    options["size"],
                    algorithm=options["algorithm"],
                    household_columns=households,
                    legacy_runs=options["legacy_runs"],
                )
        except engine.InfeasibleQuotasError as error:
            raise CommandError("\n".join(error.all_lines)) from error
        except Exception as error:  # the library's table errors carry readable messages
            raise CommandError(str(error)) from error
        weights = distribution.probabilities
        threshold = secrets.randbelow(10**12) / 10**12
        cumulative = 0.0
        panel = distribution.panels[-1]
        for candidate, weight in zip(distribution.panels, weights, strict=True):
            cumulative += weight
            if threshold < cumulative:
                panel = candidate
                break
        result = {
            "algorithm": options["algorithm"],
            "size": options["size"],
            "panel": sorted(panel),
            "probabilities": dict(sorted(distribution.marginals.items(), key=lambda item: (item[1], item[0]))),
            "minimum": distribution.minimum,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=1))
            return
        self.stdout.write("Panel: " + ", ".join(result["panel"]))
        self.stdout.write(f"Minimum selection probability: {distribution.minimum:.4%}")
        for person, probability in result["probabilities"].items():
            self.stdout.write(f"{person}\t{probability:.4%}")
