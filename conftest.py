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
def _fresh_content_types(request):
    """Transactional tests empty every table, content types included, while Django keeps
    their ids cached: drop the cache, and recreate the rows before threads race to."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    serialized = "django_db_serialized_rollback" in request.fixturenames or (
        marker is not None and marker.kwargs.get("serialized_rollback")
    )
    if transactional and not serialized:
        from django.apps import apps
        from django.contrib.contenttypes.management import create_contenttypes

        request.getfixturevalue("transactional_db")
        if not ContentType.objects.exists():
            for app_config in apps.get_app_configs():
                create_contenttypes(app_config, verbosity=0)
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_wagtail_site_cache():
    """Wagtail caches site root paths in the (shared, Redis) cache; a page tree rolled
    back by a previous test would otherwise leave stale URLs behind."""
    from wagtail.models import Site

    from cms.chrome import forget_all as forget_site_chrome

    Site.clear_site_root_paths_cache()
    forget_site_chrome()  # the cached header and footer (cms.chrome), for the same reason
    yield
    Site.clear_site_root_paths_cache()
    forget_site_chrome()


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
