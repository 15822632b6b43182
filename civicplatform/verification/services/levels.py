"""Every change of verification level goes through here: one log row, one audit row."""

from __future__ import annotations

from django.db import transaction

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.core.services import audit_record
from civicplatform.territory.models import District
from civicplatform.territory.selectors import district_for_postal_code
from civicplatform.verification.models import VerificationEvent


def verification_grant(
    *,
    user: User,
    level: int,
    method: str,
    actor: User | None,
    postal_code: str = "",
    district: District | None = None,
    on_behalf_of: User | None = None,
    data: dict | None = None,
) -> VerificationEvent:
    """Raise `user` to `level` (never lower), log it and audit it.

    The postal code the person proved sets their district when exactly one
    district has it; an explicit `district` (chosen at the desk) wins.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = user.verification_level
        user.verification_level = max(before, level)
        fields = ["verification_level"]
        if postal_code:
            user.postal_code = postal_code
            fields.append("postal_code")
            district = district or district_for_postal_code(postal_code)
        if district is not None:
            user.district = district
            fields.append("district")
        user.save(update_fields=fields)
        event = VerificationEvent.objects.create(
            user=user,
            kind=VerificationEvent.Kind.VERIFIED,
            method=method,
            level_before=before,
            level_after=user.verification_level,
            actor=actor,
        )
        audit_record(
            action="verification.verified",
            actor=actor,
            target=user,
            on_behalf_of=on_behalf_of,
            data={
                "method": method,
                "level_before": before,
                "level_after": user.verification_level,
                "district": user.district_id,
                **(data or {}),
            },
        )
    return event


def verification_lower(
    *, user: User, level: int, method: str, actor: User | None, reason: str = ""
) -> VerificationEvent:
    """Lower `user` to `level` (staff gave their register entry to another account)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = user.verification_level
        user.verification_level = min(before, level)
        user.save(update_fields=["verification_level"])
        event = VerificationEvent.objects.create(
            user=user,
            kind=VerificationEvent.Kind.REVOKED,
            method=method,
            level_before=before,
            level_after=user.verification_level,
            actor=actor,
        )
        audit_record(
            action="verification.revoked",
            actor=actor,
            target=user,
            reason=reason,
            data={"method": method, "level_before": before, "level_after": user.verification_level},
        )
    return event


def verification_log(
    *, user: User, kind: str, method: str, actor: User | None, reason: str = "", data: dict | None = None
) -> None:
    """Log an event that does not change the level (letter requested, conflict opened...)."""
    VerificationEvent.objects.create(
        user=user,
        kind=kind,
        method=method,
        level_before=user.verification_level,
        level_after=user.verification_level,
        actor=actor,
    )
    audit_record(
        action=f"verification.{kind}", actor=actor, target=user, reason=reason, data={"method": method, **(data or {})}
    )


def base_level(user: User) -> int:
    """The level an account keeps without any residence proof: e-mail confirmed, or nothing."""
    from allauth.account.models import EmailAddress

    confirmed = EmailAddress.objects.filter(user=user, verified=True).exists()
    return VerificationLevel.EMAIL if confirmed else VerificationLevel.NONE
