"""Who may do what, in which phase: the permission matrix (docs/ROLES.md, "Petitions").

Personas: anonymous, unconfirmed account, citizen (e-mail confirmed), resident, elector,
the author, a blocked resident, a site-wide moderator and staff. Phases: draft, gathering,
moderation, open (signature phase before its start, during it, after its end), answered,
and rejected for a hidden reason.
"""

from __future__ import annotations

import datetime

import pytest
import rules
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import (
    ElectorFactory,
    ResidentFactory,
    StaffFactory,
    UserFactory,
)
from civicplatform.moderation.models import ModeratorAssignment, UserBlock
from petitions.models import PetitionKind, PetitionStatus, RejectionReason

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "unconfirmed", "citizen", "resident", "elector", "author", "blocked", "moderator", "staff"]
NOW = timezone.now()
BEFORE = NOW - datetime.timedelta(days=30)
AFTER = NOW + datetime.timedelta(days=30)


@pytest.fixture
def cast(db):
    staff = StaffFactory()
    blocked = ResidentFactory()
    UserBlock.objects.create(user=blocked, reason="Insultes", blocked_by=staff)
    moderator = UserFactory()
    ModeratorAssignment.objects.create(user=moderator)
    return {
        "anonymous": AnonymousUser(),
        "unconfirmed": UserFactory(verification_level=VerificationLevel.NONE),
        "citizen": UserFactory(),
        "resident": ResidentFactory(),
        "elector": ElectorFactory(),
        "author": ElectorFactory(),
        "blocked": blocked,
        "moderator": moderator,
        "staff": staff,
    }


def _petition(cast, status: str, *, kind: str = PetitionKind.CIVIC, hidden_reason: bool = False):
    petition = PetitionFactory(author=cast["author"], status=status, kind=kind)
    if status in (PetitionStatus.OPEN, PetitionStatus.ANSWERED):
        petition.phases.create(
            kind="signature", starts_at=NOW - datetime.timedelta(days=1), ends_at=NOW + datetime.timedelta(days=10)
        )
        petition.published_at = NOW - datetime.timedelta(days=1)
        petition.save()
    if hidden_reason:
        petition.rejection_reason = RejectionReason.objects.get(code="offensive")
        petition.save()
    return petition


def _who(cast, perm: str, petition, when: datetime.datetime = NOW) -> set[str]:
    with time_machine.travel(when, tick=False):
        return {name for name in PERSONAS if cast[name].has_perm(perm, petition)}


def test_every_permission_exists():
    for perm in (
        "view_petition", "add_petition", "add_formal_request", "change_petition", "submit_petition",
        "cosponsor_petition", "sign_petition", "sign_petition_anonymously", "withdraw_signature",
        "moderate_petition", "view_moderation_queue", "review_signatures", "respond_petition",
        "archive_petition", "export_signatories", "configure_petitions",
    ):  # fmt: skip
        assert rules.perm_exists(f"petitions.{perm}")


def test_who_sees_a_petition_in_each_phase(cast):
    everyone = set(PERSONAS)
    insiders = {"author", "moderator", "staff"}
    assert _who(cast, "petitions.view_petition", _petition(cast, PetitionStatus.DRAFT)) == insiders
    assert _who(cast, "petitions.view_petition", _petition(cast, PetitionStatus.GATHERING)) == insiders
    assert _who(cast, "petitions.view_petition", _petition(cast, PetitionStatus.MODERATION)) == insiders
    assert _who(cast, "petitions.view_petition", _petition(cast, PetitionStatus.OPEN)) == everyone
    assert _who(cast, "petitions.view_petition", _petition(cast, PetitionStatus.ANSWERED)) == everyone
    rejected = _petition(cast, PetitionStatus.REJECTED, hidden_reason=True)
    assert _who(cast, "petitions.view_petition", rejected) == insiders
    assert _who(cast, "petitions.view_petition", _petition(cast, PetitionStatus.REJECTED)) == everyone


def test_who_starts_and_edits(cast):
    # The moderator persona only confirmed an e-mail address; the blocked resident lost the right.
    assert {n for n in PERSONAS if cast[n].has_perm("petitions.add_petition")} == {
        "resident",
        "elector",
        "author",
        "staff",
    }
    assert {n for n in PERSONAS if cast[n].has_perm("petitions.add_formal_request")} == {"elector", "author"}
    draft = _petition(cast, PetitionStatus.DRAFT)
    assert _who(cast, "petitions.change_petition", draft) == {"author"}
    assert _who(cast, "petitions.submit_petition", draft) == {"author"}
    assert _who(cast, "petitions.change_petition", _petition(cast, PetitionStatus.GATHERING)) == set()


def test_who_co_sponsors_a_new_petition(cast):
    gathering = _petition(cast, PetitionStatus.GATHERING)
    assert _who(cast, "petitions.cosponsor_petition", gathering) == {
        "citizen",
        "resident",
        "elector",
        "moderator",
        "staff",
    }
    formal = _petition(cast, PetitionStatus.GATHERING, kind=PetitionKind.FORMAL)
    assert _who(cast, "petitions.cosponsor_petition", formal) == {"elector"}
    assert _who(cast, "petitions.cosponsor_petition", _petition(cast, PetitionStatus.OPEN)) == set()


def test_who_signs_a_civic_petition_before_during_and_after_its_signature_phase(cast):
    petition = _petition(cast, PetitionStatus.OPEN)
    signers = {"citizen", "resident", "elector", "author", "moderator", "staff"}
    assert _who(cast, "petitions.sign_petition", petition, BEFORE) == set()
    assert _who(cast, "petitions.sign_petition", petition) == signers
    assert _who(cast, "petitions.sign_petition", petition, AFTER) == set()
    assert _who(cast, "petitions.sign_petition_anonymously", petition, BEFORE) == set()
    assert _who(cast, "petitions.sign_petition_anonymously", petition) == {"anonymous"}
    assert _who(cast, "petitions.sign_petition_anonymously", petition, AFTER) == set()


def test_who_signs_an_l1112_16_request(cast):
    petition = _petition(cast, PetitionStatus.OPEN, kind=PetitionKind.FORMAL)
    assert _who(cast, "petitions.sign_petition", petition) == {"elector", "author"}
    assert _who(cast, "petitions.sign_petition_anonymously", petition) == set()
    assert _who(cast, "petitions.sign_petition", petition, AFTER) == set()


@pytest.mark.parametrize("status", [PetitionStatus.DRAFT, PetitionStatus.MODERATION, PetitionStatus.REJECTED])
def test_nobody_signs_a_petition_that_is_not_published(cast, status):
    petition = _petition(cast, status)
    assert _who(cast, "petitions.sign_petition", petition) == set()
    assert _who(cast, "petitions.sign_petition_anonymously", petition) == set()


def test_signatures_are_withdrawn_only_while_gathering_or_open(cast):
    open_petition = _petition(cast, PetitionStatus.OPEN)
    assert _who(cast, "petitions.withdraw_signature", open_petition) == set(PERSONAS)
    assert _who(cast, "petitions.withdraw_signature", open_petition, AFTER) == set()
    assert _who(cast, "petitions.withdraw_signature", _petition(cast, PetitionStatus.GATHERING)) == set(PERSONAS)
    assert _who(cast, "petitions.withdraw_signature", _petition(cast, PetitionStatus.MODERATION)) == set()


def test_moderators_and_staff_moderate_only_petitions_in_moderation(cast):
    assert _who(cast, "petitions.moderate_petition", _petition(cast, PetitionStatus.MODERATION)) == {
        "moderator",
        "staff",
    }
    assert _who(cast, "petitions.moderate_petition", _petition(cast, PetitionStatus.OPEN)) == set()
    assert {n for n in PERSONAS if cast[n].has_perm("petitions.review_signatures")} == {"moderator", "staff"}
    assert {n for n in PERSONAS if cast[n].has_perm("petitions.view_moderation_queue")} == {"moderator", "staff"}


def test_only_staff_answer_archive_configure_and_export(cast):
    open_petition = _petition(cast, PetitionStatus.OPEN)
    assert _who(cast, "petitions.respond_petition", open_petition) == {"staff"}
    assert _who(cast, "petitions.respond_petition", _petition(cast, PetitionStatus.MODERATION)) == set()
    assert _who(cast, "petitions.archive_petition", open_petition) == set()
    assert _who(cast, "petitions.archive_petition", _petition(cast, PetitionStatus.CLOSED)) == {"staff"}
    formal = _petition(cast, PetitionStatus.OPEN, kind=PetitionKind.FORMAL)
    assert _who(cast, "petitions.export_signatories", formal) == {"staff"}
    assert _who(cast, "petitions.export_signatories", open_petition) == set()
    assert {n for n in PERSONAS if cast[n].has_perm("petitions.configure_petitions")} == {"staff"}
