"""Global fixtures: the named cast every test uses, and temporary media."""

from __future__ import annotations

import pytest

from civicplatform.accounts.tests.factories import (
    ElectorFactory,
    ResidentFactory,
    StaffFactory,
    UserFactory,
)
from civicplatform.territory.tests.factories import DistrictFactory


@pytest.fixture(autouse=True)
def _media_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_wagtail_site_cache():
    """Wagtail caches site root paths in the (shared, Redis) cache; a page tree rolled
    back by a previous test would otherwise leave stale URLs behind."""
    from wagtail.models import Site

    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture
def district(db):
    return DistrictFactory()


@pytest.fixture
def citizen(db, district):
    """Logged-in person with a confirmed e-mail, not yet verified as a resident."""
    return UserFactory(district=district)


@pytest.fixture
def resident(db, district):
    """Verified resident of `district`."""
    return ResidentFactory(district=district, pseudonym="Camille")


@pytest.fixture
def other_resident(db, district):
    return ResidentFactory(district=district, pseudonym="Dominique")


@pytest.fixture
def elector(db, district):
    return ElectorFactory(district=district)


@pytest.fixture
def staff(db):
    return StaffFactory(pseudonym="Agent")


@pytest.fixture
def outsider(db):
    """Logged in, but from outside every space under test."""
    return UserFactory(pseudonym="Outsider")
