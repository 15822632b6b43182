"""`manage.py pb_tally FILE.pb`: tally a pabulib file with one of our rules, no database needed.

    python manage.py pb_tally Poland_Warszawa_2026_Stegny.pb --rule greedy-threshold --json
    python manage.py pb_tally Netherlands_Assen_2024.pb              # rule from META: mes-add1

Without `--rule`, the rule named in the file's META is used when we implement it
(`greedy`, `greedy-no-skip`, `greedy-threshold`, `equalshares/add1` → `mes-add1`), else
`greedy`. `--json` prints the outcome as JSON: rule, selected ids (in funding order),
spent and budget as exact decimal strings, and every project with its reason code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from budgets.tally import RULES, Election, Outcome, PbFormatError, format_amount, parse_pb, tally
from budgets.tally.explain import describe, explain
from budgets.tally.tiebreak import CRITERIA, DEFAULT_CHAIN

META_RULES = {
    "greedy": "greedy",
    "greedy-no-skip": "greedy-no-skip",
    "greedy-threshold": "greedy-threshold",
    "equalshares/add1": "mes-add1",
}


class Command(BaseCommand):
    help = "Tally a pabulib .pb file with a participatory-budget rule, without touching the database."
    # A tally of a file needs neither the database nor the project's checks: it must run anywhere.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to a pabulib .pb file")
        parser.add_argument("--rule", choices=RULES, help="counting rule (default: the file's META rule, or greedy)")
        parser.add_argument(
            "--threshold",
            type=int,
            help="minimum votes (or points) to be eligible; greedy-threshold defaults to META",
        )
        parser.add_argument(
            "--tie-breaking",
            default=",".join(DEFAULT_CHAIN),
            help=f"comma-separated chain from {', '.join(CRITERIA)} (default: %(default)s)",
        )
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            election = parse_pb(path)
        except PbFormatError as error:
            message = _("%(path)s is not a valid pabulib file: %(error)s") % {"path": path, "error": error}
            raise CommandError(message) from None
        rule = options["rule"] or META_RULES.get(election.meta.get("rule", "").strip(), "greedy")
        try:
            outcome = tally(election, rule, tie_breaking=options["tie_breaking"], threshold=options["threshold"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(outcome.as_dict(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(self.report(election, outcome))

    def report(self, election: Election, outcome: Outcome) -> str:
        currency = election.meta.get("currency", "")
        lines = [
            _("Rule: %(rule)s") % {"rule": outcome.rule},
            describe(outcome, translate=_),
            _("Budget: %(budget)s %(currency)s; spent: %(spent)s %(currency)s.")
            % {"budget": format_amount(outcome.budget), "spent": format_amount(outcome.spent), "currency": currency},
            _("Funded: %(ids)s") % {"ids": ", ".join(outcome.selected) or "-"},
            "",
        ]
        for result in outcome.results.values():
            cost = format_amount(election.projects[result.id].cost)
            values = {"id": result.id, "cost": cost, "votes": result.votes, "score": result.score}
            if election.uses_points:
                heading = _("%(id)s (cost %(cost)s, %(votes)s votes, %(score)s points)") % values
            else:
                heading = _("%(id)s (cost %(cost)s, %(votes)s votes)") % values
            lines.append(f"{heading}: {explain(result, points=election.uses_points, translate=_)}")
        return "\n".join(lines)
