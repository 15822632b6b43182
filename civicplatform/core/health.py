"""Probes for /healthz: each returns None when healthy, or a short reason."""

from __future__ import annotations

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection


def check_database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def check_cache() -> str | None:
    key = f"healthz-{uuid.uuid4().hex}"
    cache.set(key, "ok", 5)
    value = cache.get(key)
    cache.delete(key)
    return None if value == "ok" else "cache did not return what was stored"


def check_channel_layer() -> str | None:
    layer = get_channel_layer()
    if layer is None:
        return "no channel layer configured"

    async def round_trip() -> bool:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "healthz.ping"})
        message = await layer.receive(channel)
        return message.get("type") == "healthz.ping"

    return None if async_to_sync(round_trip)() else "channel layer lost a message"


def check_broker() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None  # tasks run inline; there is no broker to reach
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1)
    return None


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
    "broker": check_broker,
}
