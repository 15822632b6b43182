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


@pytest.fixture(scope="module")
def migrated_rows_restored_after(django_db_blocker):
    """For a module of transactional tests without serialized rollback (threads racing on
    committed rows): once its tests are done, put the database back as migrations left it.

    Django's flush after such a test empties every table and re-creates content types and
    permissions under new ids; a later test of the same process that restores the serialized
    rows (serialized_rollback) would then collide with them, and the rows data migrations made
    (rejection reasons, Wagtail's root page) would be gone. When the session keeps serialized
    rows, empty the tables once more and restore them. Use with
    `pytest.mark.usefixtures("migrated_rows_restored_after")`.
    """
    yield
    from django.core.management import call_command
    from django.db import connections

    database = connections["default"]
    contents = getattr(database, "_test_serialized_contents", None)
    if contents is None:
        return
    with django_db_blocker.unblock():
        # Keep the sequences: restored rows carry their ids, and new rows must not reuse them.
        call_command("flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False, verbosity=0)
        database.creation.deserialize_db_from_string(contents)
