"""Defences that keep real signers unharmed: review of held signatures, bulk invalidation,
disposable domains and the hourly report of unusual activity. Every decision is audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplatform.core.services import audit_record
from civicplatform.notifications.services import notify

from ..models import (
    DisposableDomain,
    Invalidation,
    Petition,
    QuarterSignature,
    Signature,
    SignatureState,
    TrendingFlag,
    TrendingKind,
)
from ._common import TRENDING_KIND, fill, petition_moderators
from .counting import fold_request
from .signing import DISPOSABLE_CACHE_KEY


def _require_review(actor: Any) -> None:
    if not actor.has_perm("petitions.review_signatures"):
        raise PermissionDenied(_("Only moderators may review signatures."))


# ---------------------------------------------------------------------------- held signatures


def signatures_release(*, signatures: QuerySet[Signature], actor: Any) -> int:
    """Count held signatures after all: confirmed ones become valid, unconfirmed ones wait for their e-mail."""
    _require_review(actor)
    held = signatures.filter(state=SignatureState.HELD)
    with transaction.atomic():
        rows = list(held.select_for_update().values_list("pk", "petition_id", "confirmed_at"))
        confirmed = [pk for pk, _petition, confirmed_at in rows if confirmed_at]
        unconfirmed = [pk for pk, _petition, confirmed_at in rows if not confirmed_at]
        Signature.objects.filter(pk__in=confirmed).update(state=SignatureState.VALIDATED)
        Signature.objects.filter(pk__in=unconfirmed).update(state=SignatureState.PENDING)
        petition_ids = sorted({petition_id for _pk, petition_id, _confirmed in rows})
        if rows:
            audit_record(
                action="petitions.release",
                actor=actor,
                data={"signatures": len(rows), "counted_now": len(confirmed), "petitions": petition_ids},
            )
        for petition_id in petition_ids:
            transaction.on_commit(partial(fold_request, petition_id))
    return len(rows)


# ---------------------------------------------------------------------------- bulk invalidation


@dataclass(frozen=True)
class Criteria:
    """Which signatures an invalidation targets; every field given must match."""

    petition: Petition | None = None
    ip_hash: str = ""
    email_domain: str = ""
    postal_code: str = ""
    name_contains: str = ""
    created_after: datetime.datetime | None = None
    created_before: datetime.datetime | None = None
    held_only: bool = False

    def is_narrow(self) -> bool:
        # "All signatures of a petition" is not a fraud pattern: at least one clue is required.
        return any(
            (self.ip_hash, self.email_domain, self.postal_code, self.name_contains, self.created_after,
             self.created_before, self.held_only)
        )  # fmt: skip

    def as_data(self) -> dict[str, Any]:
        return {
            "petition": str(self.petition.public_id) if self.petition else "",
            "ip_hash": self.ip_hash,
            "email_domain": self.email_domain,
            "postal_code": self.postal_code,
            "name_contains": self.name_contains,
            "created_after": self.created_after.isoformat() if self.created_after else "",
            "created_before": self.created_before.isoformat() if self.created_before else "",
            "held_only": self.held_only,
        }


def signatures_matching(criteria: Criteria) -> QuerySet[Signature]:
    query = Signature.objects.exclude(state=SignatureState.INVALIDATED)
    if criteria.petition is not None:
        query = query.filter(petition=criteria.petition)
    if criteria.ip_hash:
        query = query.filter(ip_hash=criteria.ip_hash)
    if criteria.email_domain:
        query = query.filter(email_domain=criteria.email_domain.strip().lower())
    if criteria.postal_code:
        query = query.filter(postal_code=criteria.postal_code)
    if criteria.name_contains:
        query = query.filter(name__icontains=criteria.name_contains)
    if criteria.created_after:
        query = query.filter(created_at__gte=criteria.created_after)
    if criteria.created_before:
        query = query.filter(created_at__lt=criteria.created_before)
    if criteria.held_only:
        query = query.filter(state=SignatureState.HELD)
    return query


def signatures_invalidate(*, criteria: Criteria, summary: str, actor: Any) -> Invalidation:
    """Invalidate every signature matching the criteria. They stop counting at the next fold;
    the elector's L1112-16 quarter is given back (an invalid signature is no signature)."""
    _require_review(actor)
    if not criteria.is_narrow():
        raise ValidationError(_("Give at least one criterion besides the petition."))
    now = timezone.now()
    with transaction.atomic():
        invalidation = Invalidation.objects.create(
            summary=summary, petition=criteria.petition, criteria=criteria.as_data(), created_by=actor, created_at=now
        )
        rows = list(signatures_matching(criteria).select_for_update().values_list("pk", "petition_id"))
        ids = [pk for pk, _petition in rows]
        Signature.objects.filter(pk__in=ids).update(
            state=SignatureState.INVALIDATED, invalidated_at=now, invalidation=invalidation
        )
        QuarterSignature.objects.filter(signature_id__in=ids).delete()
        invalidation.matched_count = len(ids)
        invalidation.save(update_fields=["matched_count"])
        audit_record(
            action="petitions.invalidate",
            actor=actor,
            target=invalidation,
            reason=summary,
            data={"criteria": criteria.as_data(), "signatures": len(ids)},
        )
        for petition_id in sorted({petition_id for _pk, petition_id in rows}):
            transaction.on_commit(partial(fold_request, petition_id))
    return invalidation


# ---------------------------------------------------------------------------- disposable domains


def disposable_domain_add(*, domain: str, actor: Any) -> DisposableDomain:
    _require_review(actor)
    domain = domain.strip().lower().lstrip("@")
    try:
        with transaction.atomic():
            entry = DisposableDomain.objects.create(domain=domain, added_by=actor)
            audit_record(action="petitions.disposable_add", actor=actor, target=entry, data={"domain": domain})
    except IntegrityError:
        raise ValidationError({"domain": _("This domain is already in the list.")}) from None
    transaction.on_commit(lambda: cache.delete(DISPOSABLE_CACHE_KEY))
    return entry


def disposable_domain_remove(*, entry: DisposableDomain, actor: Any) -> None:
    _require_review(actor)
    with transaction.atomic():
        audit_record(action="petitions.disposable_remove", actor=actor, target=entry, data={"domain": entry.domain})
        entry.delete()
    transaction.on_commit(lambda: cache.delete(DISPOSABLE_CACHE_KEY))


# ---------------------------------------------------------------------------- unusual activity


def trending_flag(*, now: datetime.datetime | None = None) -> list[TrendingFlag]:
    """Hourly: report connections and e-mail domains that signed one petition unusually often in
    the last full hour (safe to run twice: one flag per value, petition and hour)."""
    now = now or timezone.now()
    end = now.replace(minute=0, second=0, microsecond=0)
    start = end - datetime.timedelta(hours=1)
    threshold = settings.PETITIONS_TRENDING_THRESHOLD
    window = Signature.objects.filter(created_at__gte=start, created_at__lt=end)
    groups = [
        (TrendingKind.IP, row["petition_id"], row["ip_hash"], row["total"])
        for row in window.exclude(ip_hash="")
        .values("petition_id", "ip_hash")
        .annotate(total=Count("pk"))
        .filter(total__gte=threshold)
    ] + [
        (TrendingKind.DOMAIN, row["petition_id"], row["email_domain"], row["total"])
        for row in window.exclude(Q(email_domain="") | Q(email_domain__in=settings.PETITIONS_COMMON_EMAIL_DOMAINS))
        .values("petition_id", "email_domain")
        .annotate(total=Count("pk"))
        .filter(total__gte=threshold)
    ]
    created = []
    for kind, petition_id, value, total in groups:
        with transaction.atomic():
            flag, is_new = TrendingFlag.objects.get_or_create(
                kind=kind, value=value, petition_id=petition_id, window_start=start, defaults={"count": total}
            )
            if not is_new:
                continue
            audit_record(
                action="petitions.trending",
                target=flag.petition,
                data={"kind": kind, "value": value, "count": total, "hour": start.isoformat()},
            )
            created.append(flag)
    if created:
        from django.urls import reverse

        notify(
            recipients=list(petition_moderators()),
            kind=TRENDING_KIND,
            title=fill(
                gettext_lazy("Unusual signing activity: %(count)d report(s) to review"), {"count": len(created)}
            ),
            body=gettext_lazy("Connections or e-mail domains signed a petition unusually often in the last hour."),
            url=reverse("petitions:signature_review"),
        )
    return created


def trending_review(*, flag: TrendingFlag, actor: Any) -> TrendingFlag:
    _require_review(actor)
    with transaction.atomic():
        flag.reviewed_at = timezone.now()
        flag.reviewed_by = actor
        flag.save(update_fields=["reviewed_at", "reviewed_by"])
        audit_record(action="petitions.trending_reviewed", actor=actor, target=flag.petition, data={"flag": flag.pk})
    return flag
