"""Visits of participation pages, counted without tracking anyone (the first step of the dashboards' funnel).

`VisitCounterMiddleware` adds one to a counter per day and per kind of participation
when a GET of a participation page (budgets, petitions, consultations, juries,
forums: decided by the URL namespace of the resolved view) answers with an HTML
page. It stores no cookie, no address, no user agent, no account: the cache key is
only the day and the kind, the value only a number. It costs one atomic cache
command per counted request (Redis INCR when Redis is the cache, the local cache
otherwise) and never writes to the database; the hourly `opendata.impact_compute`
task moves the counters into `DailyVisits` (see fold_visits) and the dashboards read them.

Crude exclusions: HEAD and other methods, no or obvious robot user agent,
prefetches and HTMX fragments, static/media files, /api/, staff pages (views of
a `staff` or `moderation` module, or a staff member's request), anything that is
not a 200 HTML page.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

# URL namespace (app_name of the included URLconf) -> participation kind of the dashboards.
NAMESPACES = {
    "budgets": "budget",
    "petitions": "petition",
    "consultations": "consultation",
    "juries": "jury",
    "forums": "forum",
}
KEY_PREFIX = "opendata:visits"
# A counter not folded within this many days (task stopped) is dropped by the cache.
KEEP_DAYS = 8
_TTL = KEEP_DAYS * 24 * 3600
_EXCLUDED_PREFIXES = ("/api/", "/admin/", "/django-admin/")
_STAFF_MODULES = re.compile(r"\.(staff|moderation)$")
_BOTS = re.compile(
    r"bot|crawl|spider|slurp|scrap|fetch|monitor|check|preview|curl|wget|python|httpx|go-http|java/|"
    r"libwww|headless|lighthouse|facebookexternalhit|embedly|archive",
    re.IGNORECASE,
)


def visit_key(day: datetime.date, kind: str) -> str:
    return f"{KEY_PREFIX}:{day.isoformat()}:{kind}"


def count(kind: str, *, day: datetime.date | None = None) -> None:
    """Add one visit: a single atomic cache command."""
    key = visit_key(day or timezone.localdate(), kind)
    backend = getattr(cache, "_cache", None)
    if hasattr(backend, "get_client") and hasattr(cache, "make_and_validate_key"):
        # Django's Redis backend: INCR creates the key at 1 (it stores integers as plain
        # numbers, so cache.get reads it back) and EXPIRE is sent in the same round trip.
        raw = cache.make_and_validate_key(key)
        pipe = backend.get_client(raw, write=True).pipeline(transaction=False)
        pipe.incr(raw)
        pipe.expire(raw, _TTL)
        pipe.execute()
        return
    # Local memory (a single process, e.g. `make run` without Redis: Celery runs eagerly there).
    try:
        cache.incr(key)
    except ValueError:
        if not cache.add(key, 1, _TTL):
            cache.incr(key)


def participation_of(request: HttpRequest, response: HttpResponse) -> str | None:
    """The participation kind a request visited, or None when it is not a visit to count."""
    if request.method != "GET" or response.status_code != 200:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    match = getattr(request, "resolver_match", None)
    if match is None or not match.app_names:
        return None
    kind = NAMESPACES.get(match.app_names[0])
    if kind is None:
        return None
    path = request.path_info
    files = tuple(url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url != "/")
    if path.startswith(_EXCLUDED_PREFIXES + files):
        return None
    agent = request.META.get("HTTP_USER_AGENT", "")
    if not agent or _BOTS.search(agent):
        return None
    purpose = request.headers.get("Sec-Purpose") or request.headers.get("Purpose") or ""
    if request.headers.get("HX-Request") or "prefetch" in purpose:
        return None
    if _STAFF_MODULES.search(getattr(match.func, "__module__", "") or ""):
        return None
    # A staff member's own browsing: only looked at when the view already loaded the user
    # (Django's AuthenticationMiddleware caches it there), so counting never loads a session.
    user = request.__dict__.get("_cached_user")
    if user is not None and getattr(user, "is_staff", False):
        return None
    return kind


class VisitCounterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        kind = participation_of(request, response)
        if kind is not None:
            try:
                count(kind)
            except Exception:  # a lost visit must never break the page
                logger.warning("Visit not counted (cache unavailable)", exc_info=True)
        return response


def fold_visits(*, today: datetime.date | None = None) -> int:
    """Move the cached counters of the last KEEP_DAYS days into DailyVisits; returns the visits moved.

    Each counter is decremented by the amount read (not deleted), so visits counted while
    the task runs are kept for the next run."""
    from .models import DailyVisits

    today = today or timezone.localdate()
    days = [today - datetime.timedelta(days=offset) for offset in range(KEEP_DAYS)]
    keys = {visit_key(day, kind): (day, kind) for day in days for kind in NAMESPACES.values()}
    moved = 0
    for key, value in cache.get_many(list(keys)).items():
        value = int(value or 0)
        if value <= 0:
            continue
        day, kind = keys[key]
        with transaction.atomic():
            row, created = DailyVisits.objects.get_or_create(day=day, participation=kind, defaults={"visits": value})
            if not created:
                DailyVisits.objects.filter(pk=row.pk).update(visits=F("visits") + value)
            cache.decr(key, value)
        moved += value
    return moved
