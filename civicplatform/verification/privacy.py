"""Personal data held by verification: export, erasure and retention (registered in apps.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q

from civicplatform.verification.models import PostalLetter, RegisterEntry, VerificationConflict, VerificationEvent


def export_events(user) -> list[dict[str, Any]]:
    return [
        {
            "date": event.created_at,
            "event": str(event.get_kind_display()),
            "method": str(event.get_method_display()),
            "level_before": event.level_before,
            "level_after": event.level_after,
            "by_staff": bool(event.actor_id and event.actor_id != user.pk),
        }
        for event in VerificationEvent.objects.filter(user=user).order_by("created_at")
    ]


def export_register_entries(user) -> list[dict[str, Any]]:
    # The keyed hash is left out: it means nothing without the municipality's key.
    return [
        {"register": str(entry.get_kind_display()), "verified_on": entry.claimed_at}
        for entry in RegisterEntry.objects.filter(claimed_by=user).order_by("claimed_at")
    ]


def export_letters(user) -> list[dict[str, Any]]:
    return [
        {
            "status": str(letter.get_status_display()),
            "requested_at": letter.requested_at,
            "recipient": letter.recipient,
            "address_line1": letter.address_line1,
            "address_line2": letter.address_line2,
            "postal_code": letter.postal_code,
            "city": letter.city,
            "sent_at": letter.sent_at,
            "code_valid_until": letter.expires_at,
            "used_at": letter.used_at,
        }
        for letter in PostalLetter.objects.filter(user=user).order_by("requested_at")
    ]


def export_conflicts(user) -> list[dict[str, Any]]:
    # Only the person's own request: who held the entry is someone else's data.
    return [
        {
            "opened_at": conflict.created_at,
            "status": str(conflict.get_status_display()),
            "decided_at": conflict.resolved_at,
            "postal_code": conflict.postal_code,
        }
        for conflict in VerificationConflict.objects.filter(claimant=user).order_by("created_at")
    ]


EXPORTERS = {
    "verification.events": export_events,
    "verification.register_entries": export_register_entries,
    "verification.letters": export_letters,
    "verification.conflicts": export_conflicts,
}


def erase_verification_data(user) -> None:
    """Forget how and when the person verified, their letters and their requests.

    The register entries they claimed stay claimed, with their keyed hash, for
    ever: otherwise the same person could verify a new account and vote twice
    in a process still open (one person, one vote). The hash names no one
    without the municipality's key.
    """
    PostalLetter.objects.filter(user=user).delete()
    VerificationConflict.objects.filter(claimant=user).delete()
    VerificationConflict.objects.filter(holder=user).update(holder=None)
    VerificationEvent.objects.filter(user=user).delete()


def purge_letter_addresses(cutoff: datetime.datetime) -> int:
    """Retention safety net: no address outlives a letter that was sent, used or cancelled.

    The services erase the address at once; this catches any left behind.
    """
    leftovers = (
        PostalLetter.objects.exclude(status=PostalLetter.Status.REQUESTED)
        .filter(requested_at__lt=cutoff)
        .exclude(Q(recipient="") & Q(address_line1="") & Q(address_line2="") & Q(city="") & Q(code=""))
    )
    return leftovers.update(recipient="", address_line1="", address_line2="", city="", code="")
