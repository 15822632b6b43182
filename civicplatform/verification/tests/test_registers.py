from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.territory.tests.factories import DistrictFactory
from civicplatform.verification.models import (
    RegisterEntry,
    RegisterImport,
    RegisterKind,
    VerificationConflict,
    VerificationEvent,
    VerificationMethod,
)
from civicplatform.verification.services.registers import MatchStatus, register_import, register_match
from civicplatform.verification.tests.factories import MARIE, MARIE_TYPED, PAUL, PAUL_TYPED, import_rows, register_csv

pytestmark = pytest.mark.django_db


def _all_text_in_database() -> str:
    """Every text value of the verification tables, to look for names in clear."""
    chunks = []
    for model in (RegisterImport, RegisterEntry, VerificationEvent, VerificationConflict):
        for row in model.objects.values():
            chunks.extend(str(value) for value in row.values())
    for event in AuditEvent.objects.all():
        chunks.append(str(event.data))
    return " ".join(chunks).lower()


def test_import_stores_only_keyed_hashes_never_names_or_dates(staff, district):
    batch = import_rows([MARIE, PAUL], staff=staff)
    assert RegisterEntry.objects.count() == 2
    assert all(len(entry.key_hash) == 64 for entry in RegisterEntry.objects.all())
    stored = _all_text_in_database()
    for clear in ("lefèvre", "lefevre", "dubois", "hélène", "diaye", "paul", "1985", "14/07"):
        assert clear not in stored
    assert batch.rows_read == 2
    assert batch.rows_added == 2
    assert batch.uploaded_by == staff
    audit = AuditEvent.objects.get(action="verification.register_imported")
    assert audit.actor == staff
    assert audit.data["added"] == 2


def test_import_counts_duplicates_invalid_lines_and_accepts_french_headers_and_semicolons(district):
    data = register_csv(
        [
            MARIE,
            ("LEFEVRE DUBOIS", "marie helene jeanne", "1985-07-14", "45100"),  # the same person, written otherwise
            ("Sans", "Date", "", "45100"),
            ("Mauvais", "Code", "01/01/1990", "4510"),
            ("Trop", "Court"),
            PAUL,
        ],
        header=("nom", "prénoms", "date_naissance", "code_postal"),
        delimiter=";",
    )
    batch = register_import(kind=RegisterKind.CENSUS, data=data, uploaded_by=None)
    assert (batch.rows_read, batch.rows_added, batch.rows_invalid) == (6, 2, 3)
    assert batch.invalid_lines == [4, 5, 6]
    again = register_import(kind=RegisterKind.CENSUS, data=data, uploaded_by=None)
    assert (again.rows_added, again.rows_already_present) == (0, 2)
    assert RegisterEntry.objects.count() == 2


def test_import_reads_windows_1252_exports(district):
    data = "last_name;first_names;birth_date;postal_code\nLefèvre;Hélène;01/02/1970;45100\n".encode("cp1252")
    register_import(kind=RegisterKind.CENSUS, data=data, uploaded_by=None)
    user = UserFactory()
    result = register_match(
        user=user,
        last_name="lefevre",
        first_names="helene",
        birth_date=datetime.date(1970, 2, 1),
        postal_code="45100",
    )
    assert result.status == MatchStatus.VERIFIED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier est vide"),
        (b"name,date\nA,B\n", "Manquantes\xa0: last_name, first_names, birth_date, postal_code"),
        (b"last_name,first_names,birth_date,postal_code\nA,B,not a date,45100\n", "Aucune ligne valide"),
    ],
)
def test_bad_register_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ValidationError) as excinfo:
        register_import(kind=RegisterKind.CENSUS, data=data, uploaded_by=None)
    assert message in " ".join(excinfo.value.messages)
    assert not RegisterImport.objects.exists()


def test_replace_removes_unclaimed_entries_no_longer_listed_but_keeps_claimed_ones(district):
    import_rows([MARIE, PAUL])
    marie = UserFactory()
    register_match(user=marie, **MARIE_TYPED)
    batch = import_rows([("Neuve", "Anne", "05/05/2000", "45100")], replace=True)
    assert batch.rows_removed == 1  # Paul left; Marie stays because she verified an account
    assert RegisterEntry.objects.count() == 2
    assert RegisterEntry.objects.filter(claimed_by=marie).exists()


def test_person_typing_her_identity_without_accents_is_verified_as_resident(census, district):
    other = DistrictFactory(postal_codes=["45110"])
    user = UserFactory(district=other, verification_level=VerificationLevel.EMAIL)
    result = register_match(user=user, **MARIE_TYPED)
    assert result.status == MatchStatus.VERIFIED
    user.refresh_from_db()
    assert user.verification_level == VerificationLevel.RESIDENT
    assert user.district == district  # 45100 belongs to one district only
    assert user.postal_code == "45100"
    entry = RegisterEntry.objects.get(claimed_by=user)
    assert entry.claimed_at is not None
    assert entry.kind == RegisterKind.CENSUS
    event = VerificationEvent.objects.get(user=user)
    assert (event.kind, event.method, event.level_before, event.level_after) == (
        "verified",
        VerificationMethod.CENSUS,
        VerificationLevel.EMAIL,
        VerificationLevel.RESIDENT,
    )
    audit = AuditEvent.objects.for_target(user).get(action="verification.verified")
    assert audit.actor == user
    assert audit.on_behalf_of is None
    assert audit.data["method"] == "census"
    assert audit.data["level_after"] == VerificationLevel.RESIDENT


def test_person_on_the_electoral_list_becomes_elector_and_claims_both_entries(census, electoral_list):
    user = UserFactory()
    result = register_match(user=user, **MARIE_TYPED)
    assert result.status == MatchStatus.VERIFIED
    assert result.level == VerificationLevel.ELECTOR
    user.refresh_from_db()
    assert user.verification_level == VerificationLevel.ELECTOR
    assert set(RegisterEntry.objects.filter(claimed_by=user).values_list("kind", flat=True)) == {
        "census",
        "electoral",
    }


def test_ambiguous_postal_code_leaves_the_district_unchanged(census, district):
    DistrictFactory(postal_codes=["45100"])
    own = DistrictFactory(postal_codes=["45120"])
    user = UserFactory(district=own)
    register_match(user=user, **MARIE_TYPED)
    user.refresh_from_db()
    assert user.district == own


def test_unknown_identity_changes_nothing(census):
    user = UserFactory()
    result = register_match(user=user, **{**MARIE_TYPED, "birth_date": datetime.date(1985, 7, 15)})
    assert result.status == MatchStatus.NO_MATCH
    user.refresh_from_db()
    assert user.verification_level == VerificationLevel.EMAIL
    assert not VerificationEvent.objects.exists()


def test_second_account_with_the_same_identity_opens_a_conflict_for_staff(census):
    first, second = UserFactory(), UserFactory()
    register_match(user=first, **MARIE_TYPED)
    result = register_match(user=second, **MARIE_TYPED)
    assert result.status == MatchStatus.CONFLICT
    second.refresh_from_db()
    assert second.verification_level == VerificationLevel.EMAIL
    conflict = VerificationConflict.objects.get()
    assert (conflict.claimant, conflict.holder, conflict.status) == (second, first, "open")
    assert RegisterEntry.objects.get(claimed_by__isnull=False).claimed_by == first
    assert VerificationEvent.objects.filter(user=second, kind="conflict").count() == 1
    # Trying again does not open a second conflict.
    register_match(user=second, **MARIE_TYPED)
    assert VerificationConflict.objects.count() == 1
    assert AuditEvent.objects.filter(action="verification.conflict").count() == 1


def test_same_account_typing_its_identity_again_is_told_it_is_already_verified(census):
    user = UserFactory()
    register_match(user=user, **MARIE_TYPED)
    assert register_match(user=user, **MARIE_TYPED).status == MatchStatus.ALREADY_VERIFIED
    assert VerificationEvent.objects.filter(user=user).count() == 1


def test_one_account_cannot_collect_the_identity_of_someone_else(census, electoral_list):
    user = UserFactory()
    register_match(user=user, **PAUL_TYPED)
    result = register_match(user=user, **MARIE_TYPED)
    assert result.status == MatchStatus.OTHER_IDENTITY
    assert RegisterEntry.objects.get(kind="electoral").claimed_by is None
    user.refresh_from_db()
    assert user.verification_level == VerificationLevel.RESIDENT


def test_database_refuses_two_entries_of_one_register_for_one_account(census):
    """The IntegrityError path: even if the service's check were skipped, the constraint holds."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    user = UserFactory()
    first, second = RegisterEntry.objects.all()[:2]
    RegisterEntry.objects.filter(pk=first.pk).update(claimed_by=user, claimed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.filter(pk=second.pk).update(claimed_by=user, claimed_at=timezone.now())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_rows_restored_after")
def test_two_accounts_racing_for_one_entry_cannot_both_win(district):
    import_rows([MARIE])
    users = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    results = {}

    def attempt(user):
        try:
            barrier.wait(timeout=10)
            results[user.pk] = register_match(user=user, **MARIE_TYPED).status
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(status.value for status in results.values()) == ["conflict", "verified"]
    assert RegisterEntry.objects.get().claimed_by_id in {user.pk for user in users}
    levels = sorted(User.objects.filter(pk__in=[u.pk for u in users]).values_list("verification_level", flat=True))
    assert levels == [VerificationLevel.EMAIL, VerificationLevel.RESIDENT]
    assert VerificationConflict.objects.count() == 1
