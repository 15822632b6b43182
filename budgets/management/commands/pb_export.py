"""Export the anonymous ballots and results of a budget process as pabulib `.pb` files.

    manage.py pb_export PROCESS_SLUG [--budget SLUG] [--output DIR]

One file per budget, named <process>_<budget>.pb; "-" as output writes a single budget
to standard output.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets.models import BudgetProcess
from budgets.results.selectors import budget_pb, pb_filename


class Command(BaseCommand):
    help = "Write the pabulib .pb file of each budget of a process (anonymous ballots and results)."

    def add_arguments(self, parser):
        parser.add_argument("process", help="the process slug")
        parser.add_argument("--budget", default="", help="only this budget (slug)")
        parser.add_argument("--output", default=".", help='directory for the files, or "-" for standard output')

    def handle(self, *args, **options):
        process = BudgetProcess.objects.filter(slug=options["process"]).first()
        if process is None:
            raise CommandError(f"no budget process with the slug {options['process']!r}")
        budgets = list(process.budgets.all())
        if options["budget"]:
            budgets = [budget for budget in budgets if budget.slug == options["budget"]]
            if not budgets:
                raise CommandError(f"no budget {options['budget']!r} in {process.slug!r}")
        if options["output"] == "-":
            if len(budgets) != 1:
                raise CommandError("standard output takes one budget: add --budget")
            self.stdout.write(budget_pb(budgets[0]), ending="")
            return
        directory = Path(options["output"])
        directory.mkdir(parents=True, exist_ok=True)
        for budget in budgets:
            path = directory / pb_filename(budget)
            path.write_text(budget_pb(budget), encoding="utf-8")
            self.stdout.write(f"Wrote {path}")
