"""The shared request stack with Redis: cached sessions and one Redis client per pool (docs/BENCHMARKS.md)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches

from civicplatform.core.cache import RedisCache

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")


def test_cache_calls_share_one_redis_client():
    assert isinstance(caches["default"], RedisCache)
    client = cache._cache.get_client(write=True)
    cache.set("stack-test", {"n": 1}, 30)
    assert cache.get("stack-test") == {"n": 1}
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client


def test_clearing_the_cache_keeps_what_else_shares_the_redis_database():
    raw = cache._cache.get_client(write=True)
    raw.set("celery-like-queue-key", "job")
    raw.set("another-prefix:1:key", "kept")
    cache.set("mine", 1, 30)
    try:
        cache.clear()
        assert cache.get("mine") is None
        assert raw.get("celery-like-queue-key") == b"job"
        assert raw.get("another-prefix:1:key") == b"kept"
    finally:
        raw.delete("celery-like-queue-key", "another-prefix:1:key")


def test_a_logged_in_request_reads_its_session_without_querying_the_database(
    client, citizen, django_assert_max_num_queries
):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    client.force_login(citizen)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()  # still written to PostgreSQL
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    with django_assert_max_num_queries(0):
        assert store.get("_auth_user_id") == str(citizen.pk)


def test_ending_a_session_removes_it_from_the_cache_and_the_database(client, citizen):
    client.force_login(citizen)
    key = client.session.session_key
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    store_class(session_key=key).delete()
    assert not Session.objects.filter(session_key=key).exists()
    assert store_class(session_key=key).get("_auth_user_id") is None
    # The browser still sends the old cookie: it is no longer logged in.
    assert client.get("/").wsgi_request.user.is_anonymous
