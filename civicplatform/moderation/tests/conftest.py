"""Moderation fixtures: test-only content models, spaces A and B, and the cast
of moderators (of A, of B, of the whole site) next to the root personas."""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core import registry
from civicplatform.moderation.models import ModeratorAssignment, UserBlock
from civicplatform.moderation.tests.factories import NoteFactory, SpaceFactory
from civicplatform.moderation.tests.testmodels import (
    TEST_MODELS,
    Note,
    SpacePhase,
    register_test_models,
    unregister_test_models,
)

PHASE_START = datetime.datetime(2031, 3, 1, 9, 0, tzinfo=datetime.UTC)
PHASE_END = datetime.datetime(2031, 3, 31, 18, 0, tzinfo=datetime.UTC)
BEFORE = PHASE_START - datetime.timedelta(days=10)
DURING = PHASE_START + datetime.timedelta(days=10)
AFTER = PHASE_END + datetime.timedelta(days=10)


@pytest.fixture(autouse=True)
def moderation_test_models(db, settings):
    register_test_models()
    with connection.schema_editor() as editor:
        for model in TEST_MODELS:
            editor.create_model(model)
    ContentType.objects.clear_cache()
    registry.register_capability("reportable", Note)
    # Reports in most tests come from 127.0.0.1: only the rate-limit tests use a low limit.
    settings.MODERATION_REPORT_RATE = "1000/m"
    yield
    registry._capabilities["reportable"].discard(Note)
    unregister_test_models()
    ContentType.objects.clear_cache()


@pytest.fixture
def staff(staff):
    """The root staff persona, with the authenticator app the back office requires."""
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return staff


@pytest.fixture
def space_a(db):
    space = SpaceFactory(name="Forum du quartier Nord")
    SpacePhase.objects.create(space=space, kind="debate", starts_at=PHASE_START, ends_at=PHASE_END)
    return space


@pytest.fixture
def space_b(db):
    return SpaceFactory(name="Budget participatif")


def _moderator(pseudonym: str, space=None, *, title: str = "", elected: bool = False, site_wide: bool = False):
    user = UserFactory(pseudonym=pseudonym)
    ModeratorAssignment.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(space) if space is not None else None,
        object_id=str(space.pk) if space is not None else None,
        title=title,
        is_elected_official=elected,
    )
    return user


@pytest.fixture
def moderator_a(space_a):
    return _moderator("ModeratriceNord", space_a, title="Adjointe à la démocratie locale", elected=True)


@pytest.fixture
def moderator_b(space_b):
    return _moderator("ModerateurBudget", space_b, title="Agent du service participation")


@pytest.fixture
def site_moderator(db):
    return _moderator("ModerationGenerale", title="Chargée de mission participation")


@pytest.fixture
def blocked(db):
    user = UserFactory(pseudonym="Bloque")
    UserBlock.objects.create(user=user, reason="Repeated insults")
    return user


@pytest.fixture
def note_a(space_a, resident):
    """A visible note by Camille (the resident persona) in space A."""
    return NoteFactory(space=space_a, author=resident, text="The new cycle lane on rue Victor Hugo is dangerous.")


@pytest.fixture
def note_b(space_b, other_resident):
    return NoteFactory(space=space_b, author=other_resident, text="I propose a shared garden near the school.")
