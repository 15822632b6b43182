"""Import a pabulib `.pb` file as a finished budget process: `manage.py pb_import FILE.pb`."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from budgets.results.services import pb_import


class Command(BaseCommand):
    help = "Create a finished participatory-budget process (projects, anonymous ballots) from a pabulib .pb file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .pb file")
        parser.add_argument("--slug", default="", help="short name of the new process (default: from the file name)")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        try:
            result = pb_import(data=data, actor=None, filename=path.name, slug=options["slug"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        process = result.process
        budget = process.budgets.get()
        self.stdout.write(
            f"Imported {path.name} as process {process.slug!r}: budget {budget.slug!r}, "
            f"{budget.projects.count()} projects, rule {process.tally_rule}."
        )
