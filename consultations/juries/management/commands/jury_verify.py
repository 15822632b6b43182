"""Recompute a public draw from its published files.

    python manage.py jury_verify FOLDER

FOLDER holds the six files of the draw page (pool.csv, quotas.csv, settings.json,
panels.json, randomness.json, audit.json). Exit status 0 when every check holds.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from consultations.juries.sortition import draw


class Command(BaseCommand):
    help = "Verify a jury draw from its published files (rule juries-draw-v1)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder")

    def handle(self, *args, **options) -> None:
        folder = Path(options["folder"])
        files = {name: (folder / name).read_text(encoding="utf-8") for name in draw.FILES if (folder / name).is_file()}
        result = draw.verify(files)
        for check in result.checks:
            mark = "OK  " if check.ok else "FAIL"
            self.stdout.write(f"{mark} {check.name}" + (f": {check.detail}" if check.detail else ""))
        if result.index is not None:
            self.stdout.write(f"Panel number {result.index + 1}: {', '.join(result.panel)}")
        if not result.ok:
            raise CommandError("The draw does not verify.")
        self.stdout.write(self.style.SUCCESS("The draw verifies."))
