from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civicplatform.verification.models import RegisterEntry, RegisterImport
from civicplatform.verification.tests.factories import MARIE, PAUL, register_csv

pytestmark = pytest.mark.django_db


def test_import_register_command_stores_hashes_and_reports_counts(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(register_csv([MARIE, PAUL, ("Sans", "Date", "", "45100")]))
    out = StringIO()
    call_command("import_register", str(path), "--kind", "electoral", stdout=out)
    assert "3 rows read: 2 added" in out.getvalue()
    assert "Invalid lines (missing field, bad date or postal code): 4" in out.getvalue()
    assert RegisterEntry.objects.filter(kind="electoral").count() == 2
    assert RegisterImport.objects.get().uploaded_by is None


def test_import_register_command_refuses_a_bad_file_without_a_traceback(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(b"nom\nDupont\n")
    with pytest.raises(CommandError, match="Manquantes"):
        call_command("import_register", str(path), "--kind", "census")
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_register", str(tmp_path / "absent.csv"), "--kind", "census")
    assert not RegisterEntry.objects.exists()
