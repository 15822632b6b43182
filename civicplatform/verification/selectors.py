"""Reads of the verification app: a person's status, and the staff work lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.verification.models import (
    PostalLetter,
    RegisterEntry,
    RegisterImport,
    VerificationConflict,
    VerificationEvent,
)
from civicplatform.verification.services.letters import letter_is_usable

DESK_SEARCH_LIMIT = 20


@dataclass
class VerificationStatus:
    level: int
    level_label: str
    registers_available: bool
    pending_letter: PostalLetter | None = None
    letter_usable: bool = False
    open_conflict: VerificationConflict | None = None
    rejected_conflict: VerificationConflict | None = None
    events: list[VerificationEvent] = field(default_factory=list)

    @property
    def is_resident(self) -> bool:
        return self.level >= VerificationLevel.RESIDENT

    @property
    def is_elector(self) -> bool:
        return self.level >= VerificationLevel.ELECTOR

    @property
    def can_try_register(self) -> bool:
        return self.registers_available and not self.is_elector and self.open_conflict is None

    @property
    def can_request_letter(self) -> bool:
        if self.is_resident:
            return False
        if self.pending_letter is None:
            return True
        # A sent letter whose code expired or was mistyped five times can be replaced.
        return self.pending_letter.status == PostalLetter.Status.SENT and not self.letter_usable


def verification_status_for(user: User) -> VerificationStatus:
    """Everything the status box shows, in a handful of queries."""
    level = user.verification_level
    pending = user.postal_letters.filter(status__in=[PostalLetter.Status.REQUESTED, PostalLetter.Status.SENT]).first()
    conflicts = list(
        user.verification_conflicts.filter(
            Q(status=VerificationConflict.Status.OPEN) | Q(status=VerificationConflict.Status.REJECTED)
        ).order_by("-created_at")[:5]
    )
    return VerificationStatus(
        level=level,
        level_label=str(VerificationLevel(level).label),
        registers_available=RegisterEntry.objects.exists(),
        pending_letter=pending,
        letter_usable=pending is not None and letter_is_usable(pending),
        open_conflict=next((c for c in conflicts if c.status == VerificationConflict.Status.OPEN), None),
        rejected_conflict=next((c for c in conflicts if c.status == VerificationConflict.Status.REJECTED), None),
        events=list(user.verification_events.select_related("actor")[:5]),
    )


def register_imports_recent(limit: int = 20) -> QuerySet[RegisterImport]:
    return RegisterImport.objects.select_related("uploaded_by")[:limit]


def register_counts() -> dict[str, dict[str, int]]:
    """Entries per register, and how many already verified an account."""
    counts: dict[str, dict[str, int]] = {}
    for kind in ("census", "electoral"):
        entries = RegisterEntry.objects.filter(kind=kind)
        counts[kind] = {"total": entries.count(), "claimed": entries.filter(claimed_at__isnull=False).count()}
    return counts


def conflicts_open() -> QuerySet[VerificationConflict]:
    return VerificationConflict.objects.filter(status=VerificationConflict.Status.OPEN).select_related(
        "claimant", "holder", "entry", "claimant__district", "holder__district"
    )


def conflicts_decided(limit: int = 20) -> QuerySet[VerificationConflict]:
    return (
        VerificationConflict.objects.exclude(status=VerificationConflict.Status.OPEN)
        .select_related("claimant", "holder", "resolved_by")
        .order_by("-resolved_at")[:limit]
    )


def letters_to_send() -> QuerySet[PostalLetter]:
    return PostalLetter.objects.filter(status=PostalLetter.Status.REQUESTED).select_related("user")


def letters_sent_recently(limit: int = 20) -> QuerySet[PostalLetter]:
    return (
        PostalLetter.objects.exclude(status=PostalLetter.Status.REQUESTED)
        .filter(sent_at__isnull=False)
        .select_related("user", "sent_by")
        .order_by("-sent_at")[:limit]
    )


def desk_people_search(query: str) -> list[User]:
    """Accounts matching a pseudonym (part of it) or an e-mail address (exactly) at the desk."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    return list(
        User.objects.filter(is_active=True, erased_at__isnull=True)
        .filter(Q(pseudonym__icontains=query) | Q(email__iexact=query))
        .select_related("district")
        .order_by("pseudonym")[:DESK_SEARCH_LIMIT]
    )


def person_history(person: User, limit: int = 10) -> list[VerificationEvent]:
    return list(person.verification_events.select_related("actor")[:limit])
