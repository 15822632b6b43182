from __future__ import annotations

import pytest

from civicplatform.verification.models import RegisterKind
from civicplatform.verification.tests.factories import MARIE, PAUL, import_rows


@pytest.fixture(autouse=True)
def _staff_without_second_factor(settings):
    # Staff pages use accounts' staff_required, which asks staff for two-factor
    # authentication; one test turns the requirement back on.
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False


@pytest.fixture
def census(db, district):
    """A census listing Marie and Paul, both in the 45100 district."""
    return import_rows([MARIE, PAUL], kind=RegisterKind.CENSUS)


@pytest.fixture
def electoral_list(db, district):
    """An electoral list on which only Marie is registered."""
    return import_rows([MARIE], kind=RegisterKind.ELECTORAL)
