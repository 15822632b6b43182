"""Load the municipality and its districts.

    manage.py load_territory districts.csv
    manage.py load_territory quartiers.geojson
    manage.py load_territory --name "Belleville-sur-Loire" --insee 45999 --electors 17450
    manage.py load_territory districts.csv --name "Belleville-sur-Loire" --insee 45999

Idempotent: districts are matched by slug and updated in place.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from civicplatform.territory.loaders import TerritoryFileError, read_districts
from civicplatform.territory.selectors import municipality_get
from civicplatform.territory.services import districts_load, municipality_set


class Command(BaseCommand):
    help = "Load the municipality (name, INSEE code, electors) and its districts from a CSV or GeoJSON file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="CSV (name,slug,postal_codes,population) or GeoJSON file")
        parser.add_argument("--name", help="name of the municipality")
        parser.add_argument("--insee", help="INSEE code of the municipality, e.g. 45234")
        parser.add_argument("--electors", type=int, help="number of registered electors")
        parser.add_argument("--population", type=int, help="population of the municipality")
        parser.add_argument(
            "--intercommunality", action="store_true", help="the platform serves an intercommunality, not a commune"
        )

    def handle(self, *args, file: str | None = None, **options) -> None:
        municipality_options = {
            "name": options.get("name"),
            "insee_code": options.get("insee"),
            "registered_electors": options.get("electors"),
            "population": options.get("population"),
            "is_commune": False if options.get("intercommunality") else None,
        }
        if not file and all(value is None for value in municipality_options.values()):
            raise CommandError("Give a file of districts, or municipality options (--name, --insee, --electors).")

        # Parse first: a bad file must not leave a half-updated municipality behind.
        rows = None
        if file:
            try:
                rows = read_districts(Path(file))
            except TerritoryFileError as exc:
                raise CommandError(f"{file}:\n{exc}") from exc

        try:
            if any(value is not None for value in municipality_options.values()):
                municipality = municipality_set(**municipality_options)
                self.stdout.write(
                    f"Municipality: {municipality.name} (INSEE {municipality.insee_code}, "
                    f"{municipality.registered_electors} registered electors)"
                )
            else:
                municipality = municipality_get()
                if municipality is None:
                    raise CommandError("There is no municipality yet: add --name and --insee.")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

        if rows is not None:
            try:
                result = districts_load(municipality=municipality, rows=rows)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(rows)} districts read: {result.created} created, {result.updated} updated, "
                    f"{len(rows) - result.created - result.updated} unchanged."
                )
            )
