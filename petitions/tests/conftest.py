"""Petition fixtures: an open civic petition, a formal L1112-16 request, and the cast's roles."""

from __future__ import annotations

import math

import pytest

from civicplatform.moderation.models import ModeratorAssignment
from civicplatform.territory.tests.factories import MunicipalityFactory

from ..models import PetitionKind, PetitionStatus
from .factories import PetitionFactory


@pytest.fixture(autouse=True)
def _petition_settings(settings):
    # No caching of counts and no debounce of folds, so each test sees its own writes at once;
    # test_counting.py switches them back on where that is the point.
    settings.PETITIONS_COUNT_CACHE_SECONDS = 0
    settings.PETITIONS_FOLD_DEBOUNCE_SECONDS = 0
    settings.PETITIONS_MAIL_DEBOUNCE_SECONDS = 0
    settings.PETITIONS_SIGNING_CACHE_SECONDS = 0
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False
    settings.ALTCHA_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_petition_caches():
    """Rows of a previous test are rolled back; lookups cached in (shared) Redis must go with them."""
    from django.core.cache import cache

    from .. import selectors
    from ..services import signing

    def forget() -> None:
        cache.delete_many([signing.DISPOSABLE_CACHE_KEY, signing.DISTRICTS_CACHE_KEY])
        # And what each process keeps in memory at a signing peak.
        signing._local_cache.clear()
        signing._confirmations_requested_at[0] = -math.inf
        selectors._signing_cache.clear()

    forget()
    yield
    forget()


@pytest.fixture
def municipality(db):
    return MunicipalityFactory()


@pytest.fixture
def author(resident):
    return resident


@pytest.fixture
def petition(municipality, author):
    """A civic petition open for signatures for ten more days."""
    return PetitionFactory(
        municipality=municipality,
        author=author,
        status=PetitionStatus.OPEN,
        title="Une piste cyclable rue des Écoles",
        slug="piste-cyclable-abc123",
        open_for=(5, 10),
    )


@pytest.fixture
def formal_petition(municipality, elector):
    """An L1112-16 request, open; its threshold is 1/10 of the municipality's 17,450 electors."""
    return PetitionFactory(
        municipality=municipality,
        author=elector,
        kind=PetitionKind.FORMAL,
        status=PetitionStatus.OPEN,
        title="Consultation sur le nouveau marché",
        slug="consultation-marche-def456",
        response_threshold=None,
        debate_threshold=1745,
        open_for=(5, 10),
    )


@pytest.fixture
def moderator(db):
    """A site-wide moderator (an elected official), not staff."""
    from civicplatform.accounts.tests.factories import ElectorFactory

    user = ElectorFactory(pseudonym="Modératrice")
    ModeratorAssignment.objects.create(user=user, title="Adjointe à la démocratie locale")
    return user


def identity(**overrides) -> dict[str, str]:
    data = {"full_name": "Jeanne Martin", "address": "3 rue des Lilas", "postal_code": "45100", "city": "Belleville"}
    data.update(overrides)
    return data
