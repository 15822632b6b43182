"""The websocket a thread page opens to follow the thread live.

Thin like a view: it authenticates (Channels' AuthMiddlewareStack put the user
in the scope), checks forums.view_thread with the same rules as the page, joins
the thread's group for its audience and language, and forwards the events that
forums.events broadcasts after each commit. It never writes to the database,
and it ignores what the page sends: posting goes through the ordinary forms.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from forums import events

# Close code sent when the viewer may not follow the thread (the handshake is refused).
FORBIDDEN = 4403


@database_sync_to_async
def _access(user: Any, public_id: Any) -> tuple[str, bool] | None:
    """(group prefix, is moderator) when `user` may view the thread, else None."""
    from forums.selectors import thread_by_public_id

    thread = thread_by_public_id(public_id)
    if thread is None or not user.has_perm("forums.view_thread", thread):
        return None
    return thread.group_name, user.has_perm("forums.moderate_thread", thread)


def _language(scope: dict[str, Any]) -> str:
    """The page says which language it is in (?lang=); anything else gets the site's."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    wanted = (query.get("lang") or [""])[0]
    return wanted if wanted in events.languages() else settings.LANGUAGE_CODE


class ThreadConsumer(AsyncWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user") or AnonymousUser()
        access = await _access(user, self.scope["url_route"]["kwargs"]["public_id"])
        if access is None:
            await self.close(code=FORBIDDEN)
            return
        prefix, moderator = access
        audience = events.MODERATORS if moderator else events.PUBLIC
        self.group = f"{prefix}.{audience}.{_language(self.scope)}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Pages only listen; a "ping" keeps proxies from closing an idle connection."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels hops to a thread before every handler to close stale database connections.
        # Forwarding a broadcast touches no database, and with thousands of viewers on one
        # thread those hops cost more than the forwarding itself (docs/BENCHMARKS.md, Forums).
        if message.get("type") == "forum.event":
            await self.forum_event(message)
            return
        await super().dispatch(message)

    async def forum_event(self, message: dict[str, Any]) -> None:
        # Rendered and serialised once per audience and language by the broadcaster.
        await self.send(text_data=message["text"])
