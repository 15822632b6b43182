from __future__ import annotations

import datetime
import io

import pytest

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.verification import demo
from civicplatform.verification.models import RegisterEntry, RegisterImport
from civicplatform.verification.services.registers import MatchStatus, register_match

pytestmark = pytest.mark.django_db


def test_demo_census_is_loaded_once_and_the_printed_identity_verifies_an_account():
    out = io.StringIO()
    demo.load_demo(out)
    demo.load_demo(out)
    assert RegisterImport.objects.count() == 2
    assert RegisterEntry.objects.filter(kind="census").count() == len(demo.DEMO_PEOPLE)
    assert "Marie-Hélène Jeanne Lefèvre-Dubois" in out.getvalue()

    last_name, first_names, birth_date, postal_code, _elector = demo.SHOWN
    day, month, year = (int(part) for part in birth_date.split("/"))
    user = UserFactory()
    result = register_match(
        user=user,
        last_name=last_name,
        first_names=first_names,
        birth_date=datetime.date(year, month, day),
        postal_code=postal_code,
    )
    assert result.status == MatchStatus.VERIFIED
    assert result.level == VerificationLevel.ELECTOR
