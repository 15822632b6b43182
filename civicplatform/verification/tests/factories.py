from __future__ import annotations

import csv
import datetime
import io

from civicplatform.verification.models import RegisterKind
from civicplatform.verification.services.registers import register_import

# A fictional person, as the town hall's register writes her.
MARIE = ("Lefèvre-Dubois", "Marie-Hélène Jeanne", "14/07/1985", "45100")
# The same person as she might type herself: no accents, other case, spaces for hyphens.
MARIE_TYPED = {
    "last_name": "LEFEVRE DUBOIS",
    "first_names": "marie helene jeanne",
    "birth_date": datetime.date(1985, 7, 14),
    "postal_code": "45100",
}
PAUL = ("N'Diaye", "Paul", "02/03/1992", "45100")
PAUL_TYPED = {
    "last_name": "N’Diaye",
    "first_names": "Paul",
    "birth_date": datetime.date(1992, 3, 2),
    "postal_code": "45100",
}


def register_csv(rows, header=("last_name", "first_names", "birth_date", "postal_code"), delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def import_rows(rows, *, kind=RegisterKind.CENSUS, staff=None, replace=False):
    return register_import(kind=kind, data=register_csv(rows), uploaded_by=staff, source_name="t.csv", replace=replace)


def query_count(client, url, data=None) -> int:
    """Queries one GET makes: list-page tests compare it with and without more rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url, data)
    return len(context)
