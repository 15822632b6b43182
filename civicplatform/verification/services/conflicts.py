"""Staff decisions on register entries claimed twice."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.core.services import audit_record
from civicplatform.verification.models import (
    RegisterEntry,
    RegisterKind,
    VerificationConflict,
    VerificationEvent,
    VerificationMethod,
)
from civicplatform.verification.services.levels import (
    base_level,
    verification_grant,
    verification_log,
    verification_lower,
)
from civicplatform.verification.services.registers import LEVEL_OF_KIND


def _lock_open(conflict: VerificationConflict) -> VerificationConflict:
    conflict = VerificationConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != VerificationConflict.Status.OPEN:
        raise ValidationError(_("This conflict has already been decided."))
    return conflict


def conflict_reassign(*, conflict: VerificationConflict, staff: User, note: str = "") -> VerificationConflict:
    """Give the register entry to the account that asked, and take it back from the one that held it.

    Used when staff are satisfied (usually in person) that the new account is
    the real person: the previous holder loses the level this entry gave them.
    """
    with transaction.atomic():
        conflict = _lock_open(conflict)
        entry = RegisterEntry.objects.select_for_update().get(pk=conflict.entry_id)
        claimant = conflict.claimant
        if RegisterEntry.objects.filter(kind=entry.kind, claimed_by=claimant).exclude(pk=entry.pk).exists():
            raise ValidationError(_("This account already holds another entry of the same register."))
        previous = entry.claimed_by
        entry.claimed_by = claimant
        entry.claimed_at = timezone.now()
        entry.save(update_fields=["claimed_by", "claimed_at"])
        if previous is not None and previous.pk != claimant.pk and not previous.erased_at:
            verification_lower(
                user=previous,
                level=_level_from_entries(previous),
                method=VerificationMethod.STAFF,
                actor=staff,
                reason=note,
            )
        verification_grant(
            user=claimant,
            level=LEVEL_OF_KIND[RegisterKind(entry.kind)],
            method=VerificationMethod.STAFF,
            actor=staff,
            postal_code=conflict.postal_code,
            data={"conflict": str(conflict.public_id)},
        )
        conflict.status = VerificationConflict.Status.REASSIGNED
        conflict.resolved_by = staff
        conflict.resolved_at = timezone.now()
        conflict.note = note
        conflict.save(update_fields=["status", "resolved_by", "resolved_at", "note"])
        audit_record(
            action="verification.conflict_reassigned",
            actor=staff,
            target=conflict,
            reason=note,
            data={"claimant": claimant.pk, "previous_holder": previous.pk if previous else None},
        )
    return conflict


def conflict_reject(*, conflict: VerificationConflict, staff: User, note: str = "") -> VerificationConflict:
    """Keep the entry with its holder; the account that asked stays unverified by this register."""
    with transaction.atomic():
        conflict = _lock_open(conflict)
        conflict.status = VerificationConflict.Status.REJECTED
        conflict.resolved_by = staff
        conflict.resolved_at = timezone.now()
        conflict.note = note
        conflict.save(update_fields=["status", "resolved_by", "resolved_at", "note"])
        verification_log(
            user=conflict.claimant,
            kind=VerificationEvent.Kind.CONFLICT_REJECTED,
            method=VerificationMethod.STAFF,
            actor=staff,
            reason=note,
            data={"conflict": str(conflict.public_id)},
        )
    return conflict


def _level_from_entries(user: User) -> int:
    """The level `user` still proves once the entry being reassigned is gone."""
    kinds = set(RegisterEntry.objects.filter(claimed_by=user).values_list("kind", flat=True))
    if RegisterKind.ELECTORAL in kinds:
        return VerificationLevel.ELECTOR
    if RegisterKind.CENSUS in kinds:
        return VerificationLevel.RESIDENT
    return base_level(user)
