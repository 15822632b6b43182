"""What petitions hold about a person: the "download my data" sections and account erasure."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Petition, PetitionStatus, QuarterSignature, Signature
from .services.privacy import ANONYMISED_FIELDS


def export_petitions(user) -> list[dict[str, Any]]:
    return [
        {
            "title": petition.title,
            "kind": str(petition.get_kind_display()),
            "status": str(petition.get_status_display()),
            "created_at": petition.created_at,
            "published_at": petition.published_at,
            "summary": petition.summary,
            "details": petition.details,
        }
        for petition in Petition.objects.filter(author=user).order_by("created_at")
    ]


def export_signatures(user) -> list[dict[str, Any]]:
    # The person's own signatures only; the encrypted L1112-16 identity is shown as "given".
    return [
        {
            "petition": signature.petition.title,
            "signed_at": signature.created_at,
            "confirmed_at": signature.confirmed_at,
            "state": str(signature.get_state_display()),
            "name_shown_publicly": signature.public_name,
            "response_requested": signature.notify_response,
            "postal_address_given": bool(signature.identity_encrypted),
        }
        for signature in Signature.objects.filter(user=user).select_related("petition").order_by("created_at")
    ]


def erase_signatures(user) -> None:
    """On account erasure: signatures on petitions still open are withdrawn (the person is leaving);
    those on petitions already decided keep counting, anonymised. Unsubmitted drafts go."""
    with transaction.atomic():
        QuarterSignature.objects.filter(elector=user).delete()
        signatures = Signature.objects.filter(user=user)
        open_statuses = (
            PetitionStatus.GATHERING,
            PetitionStatus.MODERATION,
            PetitionStatus.OPEN,
            PetitionStatus.THRESHOLD,
        )
        signatures.filter(petition__status__in=open_statuses, petition__closed_at__isnull=True).exclude(
            petition__author=user
        ).delete()
        Signature.objects.filter(user=user).update(**ANONYMISED_FIELDS)
        Petition.objects.filter(author=user, status=PetitionStatus.DRAFT).delete()
