"""Visits of participation pages: counted per day and kind without tracking anyone, first step of the funnel."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from redis.connection import AbstractConnection

from civicplatform.accounts.tests.factories import StaffFactory
from opendata import visits
from opendata.models import DailyVisits, Metric
from opendata.services import impact_compute

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ADDRESS = "203.0.113.77"


def visit(client, url, agent=BROWSER, **extra):
    return client.get(url, HTTP_USER_AGENT=agent, REMOTE_ADDR=ADDRESS, **extra)


def counted(kind: str) -> int:
    return int(cache.get(visits.visit_key(timezone.localdate(), kind)) or 0)


def test_visits_of_a_participation_page_are_counted_and_lead_the_funnel(client, petition, counted_budget):
    url = petition.get_absolute_url()
    for _ in range(3):
        assert visit(client, url).status_code == 200
    assert counted("petition") == 3

    run = impact_compute()

    funnel = list(run.figures.filter(metric=Metric.FUNNEL).order_by("position"))
    assert (funnel[0].label, funnel[0].value) == ("Visits to participation pages", 3)
    assert funnel[1].label == "Accounts"
    monthly = run.figures.get(metric=Metric.VISITS, participation="petition")
    assert (monthly.period, monthly.value) == (timezone.localdate().replace(day=1), 3)
    # Moved from the cache into the summary table: a second run counts them once.
    assert counted("petition") == 0
    assert DailyVisits.objects.get(participation="petition").visits == 3
    visit(client, url)
    run = impact_compute()
    assert run.figures.filter(metric=Metric.FUNNEL).order_by("position")[0].value == 4

    page = client.get(reverse("opendata:dashboard")).content.decode()
    assert "From visit to contribution" in page
    assert page.index("Visits to participation pages") < page.index("Accounts")


def test_a_page_of_another_kind_is_counted_under_its_own_kind_or_not_at_all(client, petition, counted_budget):
    process = counted_budget[0]
    assert visit(client, reverse("budgets:process", args=[process.slug])).status_code == 200
    assert visit(client, reverse("opendata:index")).status_code == 200
    assert visit(client, reverse("petitions:index")).status_code == 200
    # The dashboard's first visit computes the figures, moving the counters into the summary table.
    assert visit(client, reverse("opendata:dashboard")).status_code == 200
    assert dict(DailyVisits.objects.values_list("participation", "visits")) == {"budget": 1, "petition": 1}
    assert sum(counted(kind) for kind in visits.NAMESPACES.values()) == 0


def test_robots_head_requests_fragments_and_staff_are_not_counted(client, petition):
    url = petition.get_absolute_url()
    visit(client, url, agent="")
    visit(client, url, agent="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    visit(client, url, agent="curl/8.5.0")
    client.head(url, HTTP_USER_AGENT=BROWSER)
    visit(client, url, HTTP_HX_REQUEST="true")
    visit(client, url + "page-qui-n-existe-pas/")
    staff = StaffFactory()
    client.force_login(staff)
    with mock.patch("opendata.visits.count") as count:
        visit(client, url)
        visit(client, reverse("petitions:moderation_queue"))
    count.assert_not_called()
    assert counted("petition") == 0


def test_nothing_personal_is_stored_and_no_cookie_is_set(client, petition):
    url = petition.get_absolute_url()
    not_counted = visit(client, url, agent="")
    client.cookies.clear()
    counted_response = visit(client, url)
    assert counted("petition") == 1
    # The counted visit sets exactly the cookies an uncounted one sets (none of its own).
    assert set(counted_response.cookies) == set(not_counted.cookies)
    key = visits.visit_key(timezone.localdate(), "petition")
    assert key == f"opendata:visits:{timezone.localdate().isoformat()}:petition"
    assert isinstance(cache.get(key), int)
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        stored = b" ".join(cache._cache.get_client().keys("*")).decode()
        assert ADDRESS not in stored and "Firefox" not in stored
    impact_compute()
    assert [field.name for field in DailyVisits._meta.get_fields()] == ["id", "day", "participation", "visits"]


def _cost(client, url, agent):
    """(cache round trips, SQL queries) of one request."""
    calls = []
    redis_send = AbstractConnection.send_packed_command

    def send(self, *args, **kwargs):
        calls.append(args)
        return redis_send(self, *args, **kwargs)

    local = [mock.patch.object(cache, name, wraps=getattr(cache, name)) for name in ("incr", "add", "get", "set")]
    with mock.patch.object(AbstractConnection, "send_packed_command", send), CaptureQueriesContext(connection) as sql:
        spies = [patch.start() for patch in local]
        try:
            assert visit(client, url, agent=agent).status_code == 200
        finally:
            for patch in local:
                patch.stop()
    return len(calls) + sum(spy.call_count for spy in spies), len(sql)


def test_a_counted_visit_costs_one_cache_call_and_no_database_write(client, petition):
    url = petition.get_absolute_url()
    visit(client, url)  # warm up (first request: connections, translations)
    base_calls, base_queries = _cost(client, url, agent="")  # not counted
    calls, queries = _cost(client, url, agent=BROWSER)  # counted
    assert calls - base_calls == 1
    assert queries == base_queries
    assert counted("petition") == 2
