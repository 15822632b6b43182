"""Reads of the petitions app: access helper, lists, counts, charts, queues."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicplatform.core.registry import FeaturedItem
from civicplatform.territory.models import District

from . import charts
from .models import (
    Petition,
    PetitionKind,
    PetitionPhase,
    PetitionStatus,
    Signature,
    SignatureState,
    TrendingFlag,
)
from .services.counting import count_cache_key

PAGE_SIZE = 20
NEARLY_OVERDUE_DAYS = 3


def get_petition_for_user(request: HttpRequest, slug: str, perm: str = "petitions.view_petition") -> Petition:
    """The petition at `slug`: 404 if this person may not see it, 403 if they may see it but not do `perm`."""
    petition = (
        Petition.objects.select_related(
            "author", "theme", "district", "municipality", "rejection_reason", "official_response"
        )
        .prefetch_related("phases")
        .filter(slug=slug)
        .first()
    )
    if petition is None or not request.user.has_perm("petitions.view_petition", petition):
        raise Http404
    if perm != "petitions.view_petition" and not request.user.has_perm(perm, petition):
        raise PermissionDenied
    return petition


# slug -> (expiry on the monotonic clock, petition): see get_petition_for_signing.
_signing_cache: dict[str, tuple[float, Petition | None]] = {}


def petition_for_signing(slug: str) -> Petition | None:
    """The petition with its phases, kept in this process for PETITIONS_SIGNING_CACHE_SECONDS:
    at a signing peak every signature and every confirmation would otherwise read the same row
    and its phases again. The deadline is still checked against the current time; only a change
    of status or a moderation decision is seen a few seconds late."""
    ttl = settings.PETITIONS_SIGNING_CACHE_SECONDS
    now = time.monotonic()
    cached = _signing_cache.get(slug) if ttl > 0 else None
    if cached is not None and cached[0] > now:
        return cached[1]
    petition = Petition.objects.select_related("rejection_reason").prefetch_related("phases").filter(slug=slug).first()
    if ttl > 0:
        if len(_signing_cache) > 1000:
            _signing_cache.clear()
        _signing_cache[slug] = (now + ttl, petition)
    return petition


def get_petition_for_signing(request: HttpRequest, slug: str) -> Petition:
    """The petition an anonymous signature is posted to (see petition_for_signing)."""
    petition = petition_for_signing(slug)
    if petition is None or not request.user.has_perm("petitions.view_petition", petition):
        raise Http404
    return petition


def _signature_phases() -> Prefetch:
    return Prefetch("phases", queryset=PetitionPhase.objects.order_by("starts_at"))


@dataclass(frozen=True)
class PetitionFilters:
    q: str = ""
    status: str = ""
    theme: Any = None
    district: Any = None
    kind: str = ""


# The statuses a visitor can filter by, and what each one covers.
STATUS_FILTERS = {
    "open": (PetitionStatus.OPEN, PetitionStatus.THRESHOLD),
    "threshold": (PetitionStatus.THRESHOLD,),
    "answered": (PetitionStatus.ANSWERED,),
    "closed": (PetitionStatus.CLOSED,),
    "archived": (PetitionStatus.ARCHIVED,),
    "rejected": (PetitionStatus.REJECTED,),
}


def petition_list(filters: PetitionFilters, page_number: Any = None) -> Page:
    """Public petitions, newest first; a constant number of queries whatever the page holds."""
    query = (
        Petition.objects.publicly_visible()
        .select_related("theme", "district", "author")
        .prefetch_related(_signature_phases())
    )
    if filters.q:
        query = query.filter(Q(title__icontains=filters.q) | Q(summary__icontains=filters.q))
    if filters.status in STATUS_FILTERS:
        query = query.filter(status__in=STATUS_FILTERS[filters.status])
    elif not filters.status:
        # Rejected petitions are listed only when asked for.
        query = query.exclude(status=PetitionStatus.REJECTED)
    if filters.theme is not None:
        query = query.filter(theme=filters.theme)
    if filters.district is not None:
        query = query.filter(district=filters.district)
    if filters.kind:
        query = query.filter(kind=filters.kind)
    query = query.order_by("-published_at", "-created_at")
    return Paginator(query, PAGE_SIZE).get_page(page_number)


def signature_count(petition: Petition) -> int:
    """Validated signatures, by COUNT(*) over their partial index, cached a few seconds.
    May lag behind by PETITIONS_COUNT_CACHE_SECONDS; equals the rows once settled."""
    ttl = settings.PETITIONS_COUNT_CACHE_SECONDS
    key = count_cache_key(petition.pk)
    if ttl > 0:
        cached = cache.get(key)
        if cached is not None:
            return cached
    total = Signature.objects.filter(petition_id=petition.pk, state=SignatureState.VALIDATED).count()
    if ttl > 0:
        cache.set(key, total, ttl)
    return total


@dataclass(frozen=True)
class Progress:
    count: int
    goal_label: str
    goal: int | None
    percent: int
    reached: list[tuple[str, int, Any]]


def progress(petition: Petition, count: int) -> Progress:
    """How far the petition is from its next threshold (or from the last one, once all are reached)."""
    thresholds = petition.thresholds()
    upcoming = petition.next_threshold(count)
    reached = [item for item in thresholds if count >= item[1] or item[2]]
    if upcoming is not None:
        label, goal = upcoming
    elif thresholds:
        label, goal = thresholds[-1][0], thresholds[-1][1]
    else:
        label, goal = "", None
    percent = min(100, int(count * 100 / goal)) if goal else 0
    return Progress(count=count, goal_label=label, goal=goal, percent=percent, reached=reached)


def timeline(petition: Petition) -> charts.Timeline:
    rows = (
        Signature.objects.validated()
        .filter(petition=petition)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(total=Count("pk"))
        .order_by("day")
    )
    start = timezone.localtime(petition.published_at).date() if petition.published_at else None
    return charts.timeline(list(rows), start=start)


@dataclass(frozen=True)
class DistrictRow:
    name: str
    count: int
    share: int


def by_district(petition: Petition, total: int) -> tuple[list[DistrictRow], charts.DistrictMap | None]:
    """Validated signatures per district (and "district unknown"), with a map where districts have outlines."""
    counts = dict(
        Signature.objects.validated()
        .filter(petition=petition)
        .values_list("district_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    districts = list(District.objects.filter(municipality_id=petition.municipality_id).order_by("name"))
    rows = [
        DistrictRow(
            name=district.name, count=counts.get(district.pk, 0), share=_share(counts.get(district.pk, 0), total)
        )
        for district in districts
    ]
    unknown = counts.get(None, 0)
    if unknown:
        rows.append(DistrictRow(name=_("District unknown"), count=unknown, share=_share(unknown, total)))
    district_map = charts.district_map(
        (district.name, district.outline, counts.get(district.pk, 0)) for district in districts if district.outline
    )
    return rows, district_map


def _share(part: int, total: int) -> int:
    return round(part * 100 / total) if total else 0


def public_signers(petition: Petition, limit: int = 12) -> list[str]:
    """Names of the last signers who chose to show them (names are private by default)."""
    names = []
    for signature in (
        Signature.objects.validated()
        .filter(petition=petition, public_name=True)
        .select_related("user")
        .order_by("-created_at")[:limit]
    ):
        names.append(signature.name or (signature.user.public_name if signature.user else ""))
    return [name for name in names if name]


def signature_of(person: Any, petition: Petition) -> Signature | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return Signature.objects.filter(petition=petition, user=person).first()


def cosponsor_count(petition: Petition) -> int:
    return Signature.objects.validated().filter(petition=petition).exclude(user_id=petition.author_id).count()


def petitions_of(user: Any) -> QuerySet[Petition]:
    return Petition.objects.filter(author=user).select_related("theme").order_by("-created_at")


# ---------------------------------------------------------------------------- moderators


@dataclass(frozen=True)
class QueueItem:
    petition: Petition
    waiting_days: int
    overdue: bool
    nearly_overdue: bool


def moderation_queue(now: datetime.datetime | None = None) -> list[QueueItem]:
    """Petitions waiting for moderation, oldest first, with the 14-day deadline (configurable)."""
    from .services.lifecycle import config_for, municipality_current

    now = now or timezone.now()
    petitions = list(
        Petition.objects.filter(status=PetitionStatus.MODERATION)
        .select_related("author", "theme", "municipality")
        .order_by("moderation_at")
    )
    if not petitions:
        return []
    overdue_days = config_for(municipality_current()).moderation_overdue_days
    items = []
    for petition in petitions:
        waiting = (now - (petition.moderation_at or now)).days
        items.append(
            QueueItem(
                petition=petition,
                waiting_days=waiting,
                overdue=waiting >= overdue_days,
                nearly_overdue=overdue_days - NEARLY_OVERDUE_DAYS <= waiting < overdue_days,
            )
        )
    return items


def awaiting_response() -> QuerySet[Petition]:
    return Petition.objects.filter(status=PetitionStatus.THRESHOLD).order_by("response_threshold_reached_at")


def held_signatures(petition: Petition | None = None) -> QuerySet[Signature]:
    query = Signature.objects.filter(state=SignatureState.HELD).select_related("petition", "district")
    if petition is not None:
        query = query.filter(petition=petition)
    return query.order_by("-created_at")


def held_summary() -> list[dict[str, Any]]:
    """Held signatures grouped by petition and reason: what a moderator decides on."""
    return list(
        Signature.objects.filter(state=SignatureState.HELD)
        .values("petition__slug", "petition__title", "hold_reason")
        .annotate(total=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)))
        .order_by("petition__title", "hold_reason")
    )


def trending_flags(*, include_reviewed: bool = False) -> QuerySet[TrendingFlag]:
    query = TrendingFlag.objects.select_related("petition")
    if not include_reviewed:
        query = query.filter(reviewed_at__isnull=True)
    return query.order_by("-window_start", "-count")


# ---------------------------------------------------------------------------- home page, feeds, exports


def featured_petitions(limit: int) -> list[FeaturedItem]:
    """Open petitions with the most signatures, for the home page."""
    now = timezone.now()
    items = []
    for petition in (
        Petition.objects.publicly_visible()
        .signature_open(now)
        .prefetch_related(_signature_phases())
        .order_by("-signature_count", "-published_at")
        .distinct()[:limit]
    ):
        closes_at = petition.closes_at
        items.append(
            FeaturedItem(
                title=petition.title,
                summary=petition.summary[:200],
                url=petition.get_absolute_url(),
                kind=petition.get_kind_display() if petition.kind == PetitionKind.FORMAL else _("Petition"),
                status=ngettext(
                    "%(count)d signature, open until %(date)s",
                    "%(count)d signatures, open until %(date)s",
                    petition.signature_count,
                )
                % {"count": petition.signature_count, "date": _date(closes_at)}
                if closes_at
                else "",
            )
        )
    return items


def _date(moment: datetime.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def newest_published(limit: int = 20) -> QuerySet[Petition]:
    return (
        Petition.objects.publicly_visible()
        .filter(published_at__isnull=False)
        .select_related("author", "theme")
        .order_by("-published_at")[:limit]
    )


def newest_answered(limit: int = 20) -> QuerySet[Petition]:
    return (
        Petition.objects.publicly_visible()
        .filter(answered_at__isnull=False)
        .select_related("author", "theme", "official_response")
        .order_by("-answered_at")[:limit]
    )


def formal_signatories(petition: Petition) -> list[dict[str, Any]]:
    """The L1112-16 signatory list for the mayor: name, address and date of each counted signature."""
    from .identity import decrypt_identity

    rows = []
    for signature in Signature.objects.validated().filter(petition=petition).order_by("created_at"):
        identity = decrypt_identity(signature.identity_encrypted)
        rows.append(
            {
                "name": identity.get("full_name", ""),
                "address": identity.get("address", ""),
                "postal_code": identity.get("postal_code", ""),
                "city": identity.get("city", ""),
                "signed_at": signature.created_at,
            }
        )
    return rows
