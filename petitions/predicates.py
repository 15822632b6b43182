"""Predicates about petitions, combined into permissions in rules.py."""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from civicplatform.accounts.models import VerificationLevel
from civicplatform.core.eligibility import EligibilityPolicy, policy_for
from civicplatform.core.predicates import is_blocked, is_site_moderator, is_staff

from .models import PUBLISHED_STATUSES, Petition, PetitionKind, PetitionStatus


def sign_policy(petition: Petition) -> EligibilityPolicy:
    """Who may sign while logged in: anyone with a confirmed e-mail for a civic petition,
    registered electors of the commune for an L1112-16 request."""
    level = VerificationLevel.ELECTOR if petition.kind == PetitionKind.FORMAL else VerificationLevel.EMAIL
    return policy_for(min_level=level)


def start_policy(kind: str) -> EligibilityPolicy:
    """Verified residents start civic petitions; an L1112-16 request is started by an elector."""
    level = VerificationLevel.ELECTOR if kind == PetitionKind.FORMAL else VerificationLevel.RESIDENT
    return policy_for(min_level=level)


def _is_petition(obj: Any) -> bool:
    return isinstance(obj, Petition)


@rules.predicate
def is_author(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and getattr(user, "is_authenticated", False) and petition.author_id == user.pk


@rules.predicate
def is_draft(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and petition.status == PetitionStatus.DRAFT


@rules.predicate
def is_gathering(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and petition.status == PetitionStatus.GATHERING


@rules.predicate
def in_moderation(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and petition.status == PetitionStatus.MODERATION


@rules.predicate
def is_published(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and petition.status in PUBLISHED_STATUSES


@rules.predicate
def is_archivable(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and petition.status in (
        PetitionStatus.CLOSED,
        PetitionStatus.ANSWERED,
        PetitionStatus.REJECTED,
    )


@rules.predicate
def is_answerable(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and petition.status in (
        PetitionStatus.OPEN,
        PetitionStatus.THRESHOLD,
        PetitionStatus.CLOSED,
        PetitionStatus.ANSWERED,
    )


@rules.predicate
def is_publicly_visible(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and petition.is_publicly_visible and not petition.is_hidden


@rules.predicate
def is_formal(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and petition.kind == PetitionKind.FORMAL


@rules.predicate
def is_civic(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and petition.kind == PetitionKind.CIVIC


@rules.predicate
def signature_open(user: Any, petition: Any) -> bool:
    """The petition is published, visible, and its signature phase is open now."""
    return _is_petition(petition) and not petition.is_hidden and petition.is_signature_open(timezone.now())


@rules.predicate
def meets_sign_level(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and sign_policy(petition).check(user, today=timezone.localdate()).allowed


@rules.predicate
def is_anonymous(user: Any) -> bool:
    return not getattr(user, "is_authenticated", False)


# Municipal staff, and the moderators of the whole site (not of one forum or budget).
moderates_petitions = is_staff | (is_site_moderator & ~is_blocked)
