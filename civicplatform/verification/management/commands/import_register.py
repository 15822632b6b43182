"""Import a census or an electoral list as keyed hashes.

    manage.py import_register recensement.csv --kind census
    manage.py import_register liste_electorale.csv --kind electoral --replace

Columns: last_name, first_names, birth_date, postal_code. The file is only
read: keep it out of the server afterwards.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from civicplatform.verification.models import RegisterKind
from civicplatform.verification.services.registers import register_import


class Command(BaseCommand):
    help = "Import a census or electoral-list CSV; only keyed hashes (HMAC) of each person are stored."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV with columns last_name, first_names, birth_date, postal_code")
        parser.add_argument("--kind", required=True, choices=RegisterKind.values, help="which register this is")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="remove unclaimed entries of this register that the file no longer lists",
        )

    def handle(self, *args, file: str, kind: str, replace: bool, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"File not found: {file}")
        try:
            batch = register_import(
                kind=kind, data=path.read_bytes(), uploaded_by=None, source_name=path.name, replace=replace
            )
        except ValidationError as exc:
            raise CommandError(f"{file}: {' '.join(exc.messages)}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{batch.rows_read} rows read: {batch.rows_added} added, {batch.rows_already_present} already "
                f"present, {batch.rows_invalid} invalid, {batch.rows_removed} removed."
            )
        )
        if batch.invalid_lines:
            lines = ", ".join(str(n) for n in batch.invalid_lines[:50])
            self.stdout.write(self.style.WARNING(f"Invalid lines (missing field, bad date or postal code): {lines}"))
