from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress

from civicplatform.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from civicplatform.accounts.models import User

pytestmark = pytest.mark.django_db


def test_demo_accounts_load_twice_without_duplicates():
    out = io.StringIO()
    load_demo(out)
    load_demo(out)

    assert User.objects.count() == len(DEMO_ACCOUNTS)
    staff = User.objects.get(email="agent@demo.example")
    assert staff.is_staff
    assert staff.check_password(DEMO_PASSWORD)
    assert EmailAddress.objects.get(email="agent@demo.example").verified
    assert "authenticator app" in out.getvalue()
