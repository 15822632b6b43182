from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _jury_settings(settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False
