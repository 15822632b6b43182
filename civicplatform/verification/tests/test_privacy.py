from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.services import user_erase
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.registry import erasure_hooks, personal_data_exporters
from civicplatform.notifications.retention import purposes
from civicplatform.verification.models import PostalLetter, RegisterEntry, VerificationConflict, VerificationEvent
from civicplatform.verification.privacy import purge_letter_addresses
from civicplatform.verification.services.letters import letter_request
from civicplatform.verification.services.registers import MatchStatus, register_match
from civicplatform.verification.tests.factories import MARIE_TYPED, PAUL_TYPED

pytestmark = pytest.mark.django_db

ADDRESS = {"recipient": "C. Martin", "address_line1": "1 rue Haute", "postal_code": "45100", "city": "Belleville"}


def test_verification_registers_its_exporters_erasure_hook_and_retention_purpose():
    assert {"verification.events", "verification.register_entries", "verification.letters"} <= set(
        personal_data_exporters()
    )
    assert "verification" in erasure_hooks()
    assert "verification_letters" in {purpose.key for purpose in purposes()}


def test_export_lists_the_persons_own_verification_data_without_the_hash(census, district):
    user = UserFactory()
    register_match(user=user, **MARIE_TYPED)
    entries = personal_data_exporters()["verification.register_entries"](user)
    assert len(entries) == 1
    assert "key_hash" not in entries[0]
    events = personal_data_exporters()["verification.events"](user)
    assert events[0]["level_after"] == VerificationLevel.RESIDENT


def test_conflict_export_does_not_reveal_who_holds_the_entry(census):
    holder, claimant = UserFactory(), UserFactory()
    register_match(user=holder, **MARIE_TYPED)
    register_match(user=claimant, **MARIE_TYPED)
    rows = personal_data_exporters()["verification.conflicts"](claimant)
    assert len(rows) == 1
    assert holder.pseudonym not in str(rows)


def test_erasing_an_account_keeps_its_register_claim_so_the_person_cannot_vote_twice(census, district):
    user = UserFactory()
    register_match(user=user, **MARIE_TYPED)
    letter_request(user=UserFactory(), **ADDRESS)  # someone else's letter stays
    user_erase(user=user)
    entry = RegisterEntry.objects.get(claimed_by=user)
    assert entry.claimed_at is not None
    assert not VerificationEvent.objects.filter(user=user).exists()
    assert PostalLetter.objects.count() == 1
    # A new account of the same person is sent to staff, not verified.
    newcomer = UserFactory()
    assert register_match(user=newcomer, **MARIE_TYPED).status == MatchStatus.CONFLICT


def test_erasure_removes_letters_and_requests_of_the_person(census, district):
    holder, user = UserFactory(), UserFactory()
    register_match(user=holder, **PAUL_TYPED)
    register_match(user=user, **PAUL_TYPED)
    letter_request(user=user, **ADDRESS)
    user_erase(user=user)
    assert not PostalLetter.objects.filter(user=user).exists()
    assert not VerificationConflict.objects.exists()


def test_retention_purge_erases_any_address_left_on_a_closed_letter(district):
    letter = letter_request(user=UserFactory(), **ADDRESS)
    PostalLetter.objects.filter(pk=letter.pk).update(status=PostalLetter.Status.CANCELLED)
    pending = letter_request(user=UserFactory(), **ADDRESS)
    removed = purge_letter_addresses(timezone.now() + datetime.timedelta(seconds=1))
    assert removed == 1
    letter.refresh_from_db()
    pending.refresh_from_db()
    assert letter.address_line1 == ""
    assert pending.address_line1 == "1 rue Haute"
