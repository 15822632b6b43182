"""Reads of the juries app that span relations."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from civicplatform.core.registry import FeaturedItem

from .models import Feature, FeatureValue, Jury, JuryStatus, RegistrantStatus, RunStatus, Seat, SelectionRun


def jury_list_public() -> QuerySet[Jury]:
    return (
        Jury.objects.filter(published=True)
        .prefetch_related("phases")
        .annotate(volunteers=Count("registrants", distinct=True))
        .order_by("-created_at")
    )


def jury_get_public(slug: str) -> Jury | None:
    return (
        Jury.objects.filter(slug=slug, published=True)
        .prefetch_related(
            "phases",
            Prefetch("features", queryset=Feature.objects.prefetch_related("values")),
            Prefetch("runs", queryset=SelectionRun.objects.order_by("-created_at")),
        )
        .first()
    )


def jury_counts(jury: Jury) -> dict[str, int]:
    return jury.registrants.aggregate(
        registered=Count("id"),
        selected=Count("id", filter=Q(status__in=[RegistrantStatus.SELECTED, RegistrantStatus.CONFIRMED])),
        letters=Count("invitation", distinct=True),
    ) | {"letters_sent": jury.invitations.count()}


@dataclass
class ProbabilityRow:
    pseudonym: str
    probability: float
    legacy: float | None
    selected: bool


def run_probabilities(run: SelectionRun) -> list[ProbabilityRow]:
    """Every volunteer's selection probability (pseudonymous), lowest first, with the legacy estimate."""
    if not run.panels_json:
        return []
    probabilities = json.loads(run.panels_json)["probabilities"]
    chosen = set(run.selected)
    return sorted(
        (ProbabilityRow(p, value, run.legacy_probabilities.get(p), p in chosen) for p, value in probabilities.items()),
        key=lambda row: (row.probability, row.pseudonym),
    )


@dataclass
class CompositionRow:
    feature: str  # the question as worded (label); the key is what the published files use
    value: str
    low: int
    high: int
    seats: int
    feature_key: str = ""
    value_key: str = ""


def run_panel_composition(
    run: SelectionRun, labels: dict[tuple[str, str], tuple[str, str]] | None = None
) -> list[CompositionRow]:
    """For a drawn run: one row per quota line, with the feature's and the answer's labels and keys.
    `labels` ({(feature key, value key): (feature label, value label)}) spares the query when known."""
    from .sortition import draw

    if labels is None:
        labels = {
            (value.feature.key, value.key): (value.feature.label, value.label)
            for value in FeatureValue.objects.filter(feature__jury_id=run.jury_id).select_related("feature")
        }
    pool = {row["id"]: row for row in draw.read_csv(run.pool_csv)}
    rows = []
    for quota in draw.read_csv(run.quotas_csv):
        feature, value = quota["feature"], quota["value"]
        seats = sum(1 for p in run.selected if pool.get(p, {}).get(feature) == value)
        feature_label, value_label = labels.get((feature, value), (feature, value))
        rows.append(
            CompositionRow(feature_label, value_label, int(quota["min"]), int(quota["max"]), seats, feature, value)
        )
    return rows


@dataclass
class Randomness:
    dice: str
    seeds: list[str]


def run_randomness(run: SelectionRun) -> Randomness | None:
    """The public randomness of a drawn run, for reading: the dice digits spaced out, and the seeds."""
    if not run.randomness_json:
        return None
    try:
        data = json.loads(run.randomness_json)
    except ValueError:
        return None
    dice = "".join(ch for ch in str(data.get("dice", "")) if not ch.isspace())
    return Randomness(dice=" ".join(dice), seeds=[str(seed) for seed in data.get("seeds") or []])


def quota_table(jury: Jury) -> list[FeatureValue]:
    return list(
        FeatureValue.objects.filter(feature__jury=jury)
        .select_related("feature")
        .annotate(
            volunteers=Count(
                "feature__jury__registrants",
                filter=Q(feature__jury__registrants__status=RegistrantStatus.REGISTERED),
            )
        )
        .order_by("feature__order", "feature__id", "order", "id")
    )


def featured_juries(limit: int) -> list[FeaturedItem]:
    items = []
    for jury in Jury.objects.filter(published=True).exclude(status=JuryStatus.DRAFT).order_by("-created_at")[:limit]:
        items.append(
            FeaturedItem(
                title=jury.title,
                summary=jury.question[:200],
                url=jury.get_absolute_url(),
                kind=_("Citizen jury"),
                status=jury.get_status_display(),
            )
        )
    return items


def members(jury: Jury) -> QuerySet:
    """Selected, confirmed, declined and withdrawn people, for staff (contact details included)."""
    return (
        jury.registrants.exclude(status=RegistrantStatus.REGISTERED)
        .select_related("seat__user")  # the workspace section shows who has linked their seat
        .order_by("status", "last_name")
    )


def open_runs(jury: Jury) -> QuerySet[SelectionRun]:
    return jury.runs.filter(status__in=[RunStatus.COMMITTED, RunStatus.RUNNING, RunStatus.COMPUTED])


def seat_for(*, user, jury: Jury) -> Seat | None:
    """The user's current seat on the jury, if they sit on it (confirmed, linked, not ended).

    Memoised on the user object for the request: templates and permission checks ask often.
    """
    cache = user.__dict__.setdefault("_jury_seats", {})
    if jury.pk not in cache:
        cache[jury.pk] = Seat.objects.current().filter(jury=jury, user=user).select_related("registrant").first()
    return cache[jury.pk]
