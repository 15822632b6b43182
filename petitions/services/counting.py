"""Counting that does not melt.

No counter is incremented per signature: the UK petitions site fell over in
March 2019 (about 33 signatures a second) on exactly that, every signer
updating the same petition row. Here:

- a signature is one INSERT (and a confirmation one UPDATE of its own row);
- the count a page shows is COUNT(*) over the partial index of validated rows,
  cached for PETITIONS_COUNT_CACHE_SECONDS (selectors.signature_count);
- `counts_fold` writes that count into Petition.signature_count (for lists and
  feeds) and notices thresholds. It runs every few seconds from Celery beat, and
  is also asked for after confirmations, at most once per
  PETITIONS_FOLD_DEBOUNCE_SECONDS per petition.

Once signing stops, one fold later the stored count, the displayed count and
the number of validated rows are equal (tested in test_counting.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from civicplatform.core.services import audit_record

from ..models import SIGNABLE_STATUSES, Petition, PetitionStatus, Signature
from ._common import fill, notify_author, notify_petition_followers

# Petitions whose count can still change (held signatures released, invalidations) after closing.
RECENTLY_CLOSED = datetime.timedelta(days=2)
THRESHOLD_STATUSES = (*SIGNABLE_STATUSES, PetitionStatus.CLOSED)


def count_cache_key(petition_id: int) -> str:
    return f"petitions:count:{petition_id}"


def fold_request(petition_id: int) -> None:
    """Ask for a fold of this petition's count, at most once per debounce window.

    The fold runs at the end of the window (countdown), so it includes every
    confirmation made during it; Celery beat's periodic fold is the safety net.
    """
    from ..tasks import counts_fold as counts_fold_task

    # Tasks run inline without a worker (`make run`): a skipped request would have no later
    # run to catch up, and no beat runs the periodic fold either.
    debounce = 0 if settings.CELERY_TASK_ALWAYS_EAGER else settings.PETITIONS_FOLD_DEBOUNCE_SECONDS
    if debounce > 0 and not cache.add(f"petitions:fold:{petition_id}", 1, timeout=debounce):
        return
    counts_fold_task.apply_async(args=[[petition_id]], countdown=max(debounce, 0))


def counts_fold(*, petition_ids: list[int] | None = None, now: datetime.datetime | None = None) -> dict[int, int]:
    """Write the number of validated signatures into each petition, and notice thresholds.

    One grouped COUNT for all the petitions, then one UPDATE per petition whose
    count changed. Safe to run twice or concurrently: the count is recomputed,
    never added to, and each threshold is crossed by a conditional UPDATE.
    """
    now = now or timezone.now()
    petitions = Petition.objects.all()
    if petition_ids is None:
        petitions = petitions.filter(
            Q(status__in=[PetitionStatus.GATHERING, *SIGNABLE_STATUSES]) | Q(closed_at__gte=now - RECENTLY_CLOSED)
        )
    else:
        petitions = petitions.filter(pk__in=petition_ids)
    petitions = list(petitions)
    if not petitions:
        return {}
    counts = dict(
        Signature.objects.validated()
        .filter(petition_id__in=[petition.pk for petition in petitions])
        .values_list("petition_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    ttl = settings.PETITIONS_COUNT_CACHE_SECONDS
    result = {}
    for petition in petitions:
        total = counts.get(petition.pk, 0)
        result[petition.pk] = total
        if petition.signature_count != total:
            Petition.objects.filter(pk=petition.pk).update(signature_count=total, count_folded_at=now)
            petition.signature_count = total
        if ttl > 0:
            cache.set(count_cache_key(petition.pk), total, ttl)
        thresholds_check(petition=petition, count=total, now=now)
    return result


def thresholds_check(*, petition: Petition, count: int, now: datetime.datetime) -> list[str]:
    """Record each threshold the count has reached for the first time; returns which ("response", "debate")."""
    if petition.status not in THRESHOLD_STATUSES:
        return []
    crossed = []
    for which, number, field in (
        ("response", petition.response_threshold, "response_threshold_reached_at"),
        ("debate", petition.debate_threshold, "debate_threshold_reached_at"),
    ):
        if not number or count < number or getattr(petition, field) is not None:
            continue
        with transaction.atomic():
            if not Petition.objects.filter(pk=petition.pk, **{f"{field}__isnull": True}).update(**{field: now}):
                continue
            setattr(petition, field, now)
            if Petition.objects.filter(pk=petition.pk, status__in=[PetitionStatus.OPEN, PetitionStatus.CLOSED]).update(
                status=PetitionStatus.THRESHOLD
            ):
                petition.status = PetitionStatus.THRESHOLD
            audit_record(
                action="petitions.threshold",
                target=petition,
                data={"threshold": which, "number": number, "count": count},
            )
            if which == "response":
                body = gettext_lazy("The municipality will publish an official response.")
            elif petition.is_formal:
                body = gettext_lazy(
                    "The request goes to the mayor, who must inform the municipal council at its next meeting."
                )
            else:
                body = gettext_lazy("The petition will be debated by the municipal council.")
            title = fill(
                gettext_lazy("The petition “%(title)s” reached %(number)d signatures"),
                {"title": petition.title, "number": number},
            )
            notify_author(petition, title=title, body=body)
            notify_petition_followers(petition, title=title, body=body)
            crossed.append(which)
    return crossed
