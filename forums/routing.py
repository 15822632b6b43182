"""Websocket routes of the forums, listed in WEBSOCKET_ROUTING_MODULES (civicplatform/asgi.py).
The reverse proxy sends /ws/ to the ASGI server."""

from __future__ import annotations

from typing import Any

from django.urls import path

from forums.consumers import ThreadConsumer

websocket_urlpatterns = [
    path("ws/forums/fils/<uuid:public_id>/", ThreadConsumer.as_asgi(), name="thread_socket"),
]


def socket_path(thread: Any) -> str:
    """Where a page connects to follow `thread` live."""
    return f"/ws/forums/fils/{thread.public_id}/"
