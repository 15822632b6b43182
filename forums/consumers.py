"""The websocket a thread page opens to follow the thread live.

Thin like a view: it authenticates (Channels' AuthMiddlewareStack put the user
in the scope), checks forums.view_thread with the same rules as the page, joins
the thread's group for its audience and language, and forwards the events that
forums.events broadcasts after each commit. It never writes to the database,
and it ignores what the page sends: posting goes through the ordinary forms.

Sockets do not subscribe to the channel layer one by one. Each server process has
one hub (per event loop) with one channel of its own: the hub joins a group for as
long as one of its sockets follows it, receives each event once and hands it to
every local socket. A council meeting streamed to hundreds of phones is one group,
so a post costs one layer message per process instead of one per viewer (queued,
woken and decoded each time), and a socket costs no Redis subscription of its own.
Measured in docs/BENCHMARKS.md ("Forums").
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from forums import events

logger = logging.getLogger(__name__)

# Close code sent when the viewer may not follow the thread (the handshake is refused).
FORBIDDEN = 4403
FAN_OUT_BATCH = 50
# After a failed read from the layer (Redis restarting), wait this long before reading again.
RETRY_SECONDS = 1.0
# A socket that takes longer than this to accept an event (a phone that lost its network, whose
# buffer on the server is full) is closed: the other viewers of its batch stop waiting for it,
# and its page, once it reads again, reconnects and fetches what it missed.
SLOW_VIEWER_SECONDS = 5.0
# Close code sent to such a socket.
TOO_SLOW = 4408


class Hub:
    """The sockets of each group in this process, behind one channel-layer channel.

    The hub's channel is in a layer group exactly while at least one local socket follows
    that group; a reader task takes each event from the channel and hands it to the
    group's sockets. The reader starts with the first socket and stops with the last.
    One hub per event loop (a server process has one; tests open one per test).
    """

    def __init__(self) -> None:
        self.members: dict[str, set[ThreadConsumer]] = {}
        self.lock = asyncio.Lock()
        self.layer: Any = None
        self.channel: str | None = None
        self.reader: asyncio.Task | None = None
        # Sockets being closed for reading too slowly: skipped until they are gone.
        self.stalled: weakref.WeakSet[ThreadConsumer] = weakref.WeakSet()
        self.closing: set[asyncio.Task] = set()

    async def join(self, group: str, consumer: ThreadConsumer) -> None:
        async with self.lock:
            if self.reader is None:
                self.layer = get_channel_layer()
                self.channel = await self.layer.new_channel()
                self.reader = asyncio.create_task(self._read(self.layer, self.channel))
            if group not in self.members:
                # Subscribed before the socket is accepted: nothing sent after the page's
                # catch-up request can be missed.
                try:
                    await self.layer.group_add(group, self.channel)
                except BaseException:
                    if not self.members:
                        await self._stop_reader()
                    raise
                self.members[group] = set()
            self.members[group].add(consumer)

    async def leave(self, group: str, consumer: ThreadConsumer) -> None:
        async with self.lock:
            members = self.members.get(group)
            if members is None or consumer not in members:
                return
            members.discard(consumer)
            if not members:
                del self.members[group]
                await self.layer.group_discard(group, self.channel)
            if not self.members:
                await self._stop_reader()

    async def _stop_reader(self) -> None:
        if self.reader is None:
            return
        reader, self.reader, self.channel = self.reader, None, None
        reader.cancel()
        await asyncio.wait([reader])

    async def _read(self, layer: Any, channel: str) -> None:
        while True:
            try:
                message = await layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The layer lost Redis: keep the sockets open and read again; pages that
                # missed an event see the gap in the numbers at the next one and fetch it.
                logger.exception("Reading live forum events failed; retrying")
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if message.get("type") != "forum.event":
                continue
            try:
                await self.fan_out(message.get("group", ""), message["text"])
            except Exception:
                # One bad message must not stop the live updates of every thread in the process.
                logger.exception("Handing a live forum event to its viewers failed")

    async def fan_out(self, group: str, text: str) -> None:
        viewers = list(self.members.get(group, ()))
        # Viewers are served in batches running side by side: a phone that reads slowly holds
        # up only its own batch (for SLOW_VIEWER_SECONDS at most), and a task per batch costs
        # far less than a task per viewer.
        batches = [viewers[start : start + FAN_OUT_BATCH] for start in range(0, len(viewers), FAN_OUT_BATCH)]
        await asyncio.gather(*(self._deliver_all(group, batch, text) for batch in batches))

    async def _deliver_all(self, group: str, viewers: list[ThreadConsumer], text: str) -> None:
        remaining = iter(viewers)
        while True:
            viewer = None
            try:
                # One timer for the batch, not one per viewer: sending to a socket that reads
                # takes microseconds, so the timer only fires on a socket that does not.
                async with asyncio.timeout(SLOW_VIEWER_SECONDS):
                    for viewer in remaining:
                        if viewer in self.stalled:
                            continue
                        try:
                            await viewer.deliver(text)
                        except Exception as error:  # noqa: BLE001 - one viewer leaving must not stop the others
                            logger.debug("A viewer of %s left while an event was sent: %r", group, error)
                return
            except TimeoutError:
                if viewer is not None:
                    self._drop(group, viewer)

    def _drop(self, group: str, viewer: ThreadConsumer) -> None:
        """Stop sending to a socket that does not read, and close it in the background."""
        self.stalled.add(viewer)
        task = asyncio.get_running_loop().create_task(self._close_slow(group, viewer))
        self.closing.add(task)
        task.add_done_callback(self.closing.discard)

    async def _close_slow(self, group: str, viewer: ThreadConsumer) -> None:
        logger.info("Closing a viewer of %s that stopped reading", group)
        await self.leave(group, viewer)
        try:
            # Waits for the socket's buffer to drain, or for the server to give up on the connection.
            await viewer.close(code=TOO_SLOW)
        except Exception as error:  # noqa: BLE001 - the socket may be gone already
            logger.debug("Closing a slow viewer of %s failed: %r", group, error)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub()
    return _hubs[loop]


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
    # No channel of its own: the process's hub receives the events for every socket.
    channel_layer_alias = "forums.hub-only"
    group: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Events that arrive between joining the group and accepting the socket wait here.
        self.early: list[str] = []
        self.ready = False

    async def connect(self) -> None:
        user = self.scope.get("user") or AnonymousUser()
        access = await _access(user, self.scope["url_route"]["kwargs"]["public_id"])
        if access is None:
            await self.close(code=FORBIDDEN)
            return
        prefix, moderator = access
        audience = events.MODERATORS if moderator else events.PUBLIC
        self.group = f"{prefix}.{audience}.{_language(self.scope)}"
        # Join before accepting, as Channels' own groups do, so nothing is lost in between.
        await hub().join(self.group, self)
        await self.accept()
        while self.early:
            await self.send(text_data=self.early.pop(0))
        self.ready = True

    async def deliver(self, text: str) -> None:
        """Forward one event, rendered and serialised once per audience and language by the broadcaster."""
        if not self.ready:
            self.early.append(text)
            return
        await self.send(text_data=text)

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await hub().leave(self.group, self)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Also when the consumer fails: the hub must not keep a dead socket (nor its group).
            if self.group is not None:
                await hub().leave(self.group, self)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Pages only listen; a "ping" keeps proxies from closing an idle connection."""
