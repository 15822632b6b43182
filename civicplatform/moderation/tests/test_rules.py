"""The permission matrix: every moderation and audit permission, for every persona,
before, during and after a phase of space A (moderation ignores phases on purpose)."""

from __future__ import annotations

import pytest
import rules
import time_machine
from django.contrib.auth.models import AnonymousUser

from civicplatform.moderation.models import ModerationState
from civicplatform.moderation.tests.conftest import AFTER, BEFORE, DURING
from civicplatform.moderation.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "citizen", "resident", "moderator_a", "moderator_b", "site_moderator", "blocked", "staff"]
PHASES = {"before": BEFORE, "during": DURING, "after": AFTER}

# (permission, object) -> the personas allowed; every other persona is refused.
# Objects: note_a is visible content by the resident in space A; hidden_note is
# already hidden; loose_note belongs to no space; target_* are people to block.
MATRIX: dict[tuple[str, str | None], set[str]] = {
    ("moderation.report_content", "note_a"): {
        "anonymous",
        "citizen",
        "moderator_a",
        "moderator_b",
        "site_moderator",
        "staff",
    },
    ("moderation.report_content", "hidden_note"): set(),
    ("moderation.moderate_content", "note_a"): {"moderator_a", "site_moderator", "staff"},
    ("moderation.moderate_content", "loose_note"): {"site_moderator", "staff"},
    ("moderation.moderate_content", "space_a"): {"moderator_a", "site_moderator", "staff"},
    ("moderation.moderate_content", None): {"site_moderator", "staff"},
    ("moderation.view_queue", None): {"moderator_a", "moderator_b", "site_moderator", "staff"},
    ("moderation.block_user", "target_resident"): {"site_moderator", "staff"},
    ("moderation.block_user", "target_staff"): set(),
    ("moderation.block_user", None): {"site_moderator", "staff"},
    ("moderation.assign_moderator", None): {"staff"},
    ("core.view_audit_log", None): {"staff"},
    ("core.export_audit_log", None): {"staff"},
}


@pytest.fixture
def objects(request, note_a, space_a, resident, staff):
    return {
        None: None,
        "note_a": note_a,
        "space_a": space_a,
        "hidden_note": NoteFactory(space=space_a, moderation_state=ModerationState.HIDDEN, moderation_reason="Spam"),
        "loose_note": NoteFactory(space=None),
        "target_resident": resident,
        "target_staff": staff,
    }


def persona(request, name: str):
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


def test_every_permission_exists():
    for perm, _obj in MATRIX:
        assert rules.perm_exists(perm), perm


def test_the_matrix_has_more_refusals_than_grants():
    grants = sum(len(allowed) for allowed in MATRIX.values())
    refusals = sum(len(PERSONAS) - len(allowed) for allowed in MATRIX.values())
    assert refusals > grants


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize(("perm", "obj_name"), list(MATRIX))
def test_permission_matrix(request, objects, phase, perm, obj_name):
    obj = objects[obj_name]
    with time_machine.travel(PHASES[phase], tick=False):
        for name in PERSONAS:
            user = persona(request, name)
            expected = name in MATRIX[(perm, obj_name)]
            assert user.has_perm(perm, obj) is expected, f"{name} {perm} {obj_name} {phase}: expected {expected}"


def test_a_moderator_loses_moderation_rights_while_blocked(request, moderator_a, note_a):
    from civicplatform.moderation.models import UserBlock

    UserBlock.objects.create(user=moderator_a, reason="Conflict of interest under review")
    assert not moderator_a.has_perm("moderation.moderate_content", note_a)
    assert not moderator_a.has_perm("moderation.view_queue")


def test_a_type_wide_assignment_covers_every_space_of_that_type(space_a, space_b, note_a, note_b):
    from django.contrib.contenttypes.models import ContentType

    from civicplatform.accounts.tests.factories import UserFactory
    from civicplatform.moderation.models import ModeratorAssignment

    agent = UserFactory()
    ModeratorAssignment.objects.create(user=agent, content_type=ContentType.objects.get_for_model(space_a))
    assert agent.has_perm("moderation.moderate_content", note_a)
    assert agent.has_perm("moderation.moderate_content", note_b)
    assert not agent.has_perm("moderation.moderate_content", NoteFactory(space=None))
    assert not agent.has_perm("moderation.block_user", note_a.author)
