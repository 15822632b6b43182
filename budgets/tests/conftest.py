"""Budget fixtures: a process whose phases are placed around "now" by each test."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.models import PhaseKind
from budgets.voting.selectors import ballot_cache_clear

from .factories import BudgetFactory, BudgetPhaseFactory, BudgetProcessFactory, CategoryFactory, ProjectFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    # Two-factor set-up for staff is tested once, in test_views_staff.py.
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False
    settings.MAP_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_ballot_cache():
    # The ballot cache lives in the server process: a test must not see the rows of the last one.
    ballot_cache_clear()


def add_phase(process, kind: str, *, start_days: int, end_days: int, enabled: bool = True):
    """A phase from `start_days` to `end_days` days from now (negative: in the past)."""
    now = timezone.now()
    phase = BudgetPhaseFactory(
        process=process, kind=kind, starts_at=now + start_days * DAY, ends_at=now + end_days * DAY, enabled=enabled
    )
    # Phases are read from the prefetch cache when there is one: drop it.
    getattr(process, "_prefetched_objects_cache", {}).pop("phases", None)
    return phase


@pytest.fixture
def process(db):
    """A process with its submission open now; the city-wide budget and a category."""
    process = BudgetProcessFactory(slug="bp-2026", title="Budget participatif 2026")
    add_phase(process, PhaseKind.SUBMISSION, start_days=-5, end_days=10)
    return process


@pytest.fixture
def citywide(process):
    return BudgetFactory(process=process, slug="ville", name="Toute la ville", amount=500000)


@pytest.fixture
def district_budget(process, district):
    return BudgetFactory(process=process, slug="quartier", name="Mon quartier", district=district, amount=100000)


@pytest.fixture
def category(process):
    return CategoryFactory(process=process, name="Nature", slug="nature")


@pytest.fixture
def project(citywide, resident):
    return ProjectFactory(
        budget=citywide,
        author=resident,
        title="Une forêt urbaine",
        latitude=Decimal("47.900000"),
        longitude=Decimal("1.900000"),
    )
