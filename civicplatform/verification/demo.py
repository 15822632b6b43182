"""Demo census and electoral list of fictional people, so a newcomer can verify themself."""

from __future__ import annotations

import csv
import io

from civicplatform.verification.models import RegisterImport, RegisterKind
from civicplatform.verification.services.registers import register_import

DEMO_SOURCE = "demo-recensement.csv"
DEMO_ELECTORAL_SOURCE = "demo-liste-electorale.csv"
# Fictional people of the fictional Belleville-sur-Loire (postal codes of the territory demo).
DEMO_PEOPLE = [
    # last name, first names, birth date, postal code, on the electoral list
    ("Lefèvre-Dubois", "Marie-Hélène Jeanne", "14/07/1985", "45120", True),
    ("N'Diaye", "Awa", "02/03/1992", "45120", True),
    ("Le Goff", "Yann Pierre", "30/11/1978", "45110", True),
    ("Martin", "Lucas", "21/06/2004", "45100", False),
    ("Da Silva", "João", "08/09/1969", "45100", True),
    ("Œuvrard", "Chloé", "17/01/2009", "45120", False),
    ("Benali", "Karim Youssef", "25/12/1990", "45110", True),
    ("Rousseau", "Jeanne", "01/04/1951", "45100", True),
]
SHOWN = DEMO_PEOPLE[0]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["nom", "prenoms", "date_naissance", "code_postal"])
    for last_name, first_names, birth_date, postal_code, *_rest in rows:
        writer.writerow([last_name, first_names, birth_date, postal_code])
    return buffer.getvalue().encode()


def load_demo(stdout) -> None:
    if not RegisterImport.objects.filter(source_name=DEMO_SOURCE).exists():
        register_import(kind=RegisterKind.CENSUS, data=_csv(DEMO_PEOPLE), uploaded_by=None, source_name=DEMO_SOURCE)
        register_import(
            kind=RegisterKind.ELECTORAL,
            data=_csv([person for person in DEMO_PEOPLE if person[4]]),
            uploaded_by=None,
            source_name=DEMO_ELECTORAL_SOURCE,
        )
        stdout.write(f"Demo census: {len(DEMO_PEOPLE)} fictional people (stored as keyed hashes only).")
    last_name, first_names, birth_date, postal_code, _elector = SHOWN
    stdout.write(
        f"  To verify a demo account at /verification/registre/: {first_names} {last_name}, "
        f"born {birth_date}, postal code {postal_code} (registered elector)."
    )
