"""The thread websocket, end to end through the project's ASGI application (auth
middleware, origin check, router) and the configured channel layer: Redis whenever
REDIS_URL is set (always in CI, with a per-process prefix), in memory otherwise.

Each test runs its whole conversation in one event loop (`run`). Database work
goes through database_sync_to_async, which runs it in the test's own thread and
transaction; Channels would close that connection between calls (it expects
committed data), so `same_transaction` turns that off for these tests.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from civicplatform.asgi import application
from civicplatform.moderation import services as moderation_services
from forums import events
from forums.services import comment_create, comment_edit, comment_react, question_ask, question_moderate
from forums.tests.factories import CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def same_transaction(monkeypatch):
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


@pytest.fixture(params=["test-settings-layer", "redis-pubsub-layer"])
def layer(request, settings):
    """The layer of the test settings, then the one production uses with Redis (pub/sub)."""
    if request.param == "redis-pubsub-layer":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("the pub/sub layer needs Redis")
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [os.environ["REDIS_URL"]], "prefix": f"test-{os.getpid()}"},
            }
        }
    return request.param


def run(scenario) -> Any:
    return async_to_sync(scenario)()


def session_headers(user: Any = None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        headers.append((b"cookie", cookie.encode()))
    return headers


def socket(thread: Any, headers: list[tuple[bytes, bytes]] | None = None, lang: str = "en") -> WebsocketCommunicator:
    """A page following `thread`; `headers` from session_headers(user), prepared before the event loop."""
    path = f"/ws/forums/fils/{thread.public_id}/?lang={lang}"
    return WebsocketCommunicator(application, path, headers or session_headers())


def post_and_commit(django_capture_on_commit_callbacks, action):
    """Run a service the way a request does: its on-commit broadcast fires once it returns."""

    @database_sync_to_async
    def inner():
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return inner()


def test_the_tests_use_the_redis_channel_layer_whenever_redis_is_configured():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "channels_redis.core.RedisChannelLayer"
        assert settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"].startswith("test-")
    else:
        assert backend == "channels.layers.InMemoryChannelLayer"


def test_a_viewer_receives_a_new_post_as_a_fragment_for_everyone(
    layer, thread, citizen, resident, django_capture_on_commit_callbacks
):
    as_resident = session_headers(resident)

    async def scenario():
        viewer = socket(thread, as_resident)
        connected, _code = await viewer.connect()
        assert connected
        comment = await post_and_commit(
            django_capture_on_commit_callbacks,
            lambda: comment_create(author=citizen, target=thread, text="More shade, please"),
        )
        event = await viewer.receive_json_from(timeout=5)
        await viewer.disconnect()
        return comment, event

    comment, event = run(scenario)

    assert event["seq"] == 1
    assert event["kind"] == "comment.created"
    assert event["id"] == comment.anchor
    assert event["parent"] == ""
    assert event["list"] == "all"
    assert "More shade, please" in event["html"]
    assert event["announce"] == f"New comment by {citizen.public_name}."
    # Rendered for no one in particular: personal controls are hidden, no CSRF token travels.
    assert 'name="csrfmiddlewaretoken" value="" data-csrf' in event["html"]
    assert 'data-show-for="author" hidden' in event["html"]
    assert f'data-author-key="{events.viewer_key(citizen)}"' in event["html"]
    assert citizen.email not in event["html"]


def test_anonymous_readers_of_a_public_thread_may_follow_it(thread):
    anonymous = session_headers()

    async def scenario():
        viewer = socket(thread, anonymous)
        connected, _code = await viewer.connect()
        await viewer.disconnect()
        return connected

    assert run(scenario)


def test_an_outsider_cannot_open_the_socket_of_a_members_only_thread(council_thread, outsider):
    attempts = [session_headers(outsider), session_headers()]

    async def scenario():
        results = []
        for headers in attempts:
            viewer = socket(council_thread, headers)
            results.append(await viewer.connect())
            await viewer.disconnect()
        return results

    assert run(scenario) == [(False, 4403), (False, 4403)]


def test_a_member_may_follow_a_members_only_thread(council_thread, council_member):
    as_member = session_headers(council_member)

    async def scenario():
        viewer = socket(council_thread, as_member)
        connected, _code = await viewer.connect()
        await viewer.disconnect()
        return connected

    assert run(scenario)


def test_an_unknown_thread_refuses_the_socket(thread, resident):
    as_resident = session_headers(resident)

    async def scenario():
        viewer = WebsocketCommunicator(
            application, "/ws/forums/fils/6f1c0a52-3e4c-4a51-9a3f-0f2b7e1d9c11/", as_resident
        )
        result = await viewer.connect()
        await viewer.disconnect()
        return result

    assert run(scenario) == (False, 4403)


def test_a_socket_from_another_site_is_refused(thread, settings):
    settings.ALLOWED_HOSTS = ["participation.example.org"]
    from channels.auth import AuthMiddlewareStack
    from channels.routing import URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator

    from forums.routing import websocket_urlpatterns

    strict = AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))

    async def scenario():
        viewer = WebsocketCommunicator(
            strict, f"/ws/forums/fils/{thread.public_id}/", [(b"origin", b"https://evil.example")]
        )
        result = await viewer.connect()
        await viewer.disconnect()
        return result

    connected, _code = run(scenario)
    assert not connected


def test_a_hidden_post_disappears_for_everyone_viewing(
    layer, thread, citizen, resident, staff, django_capture_on_commit_callbacks
):
    comment = CommentFactory(target=thread, author=citizen, source="Buy cheap watches")
    as_resident = session_headers(resident)

    async def scenario():
        viewers = [socket(thread, as_resident), socket(thread)]
        for viewer in viewers:
            assert (await viewer.connect())[0]
        await post_and_commit(
            django_capture_on_commit_callbacks,
            lambda: moderation_services.content_hide(content=comment, actor=staff, reason="Advertising"),
        )
        received = [await viewer.receive_json_from(timeout=5) for viewer in viewers]
        for viewer in viewers:
            await viewer.disconnect()
        return received

    for event in run(scenario):
        assert event["kind"] == "comment.hidden"
        assert event["id"] == comment.anchor
        assert "Buy cheap watches" not in event["html"]
        assert "Advertising" in event["html"]
        assert event["announce"] == "A comment was hidden by a moderator."


def test_edits_and_reactions_reach_viewers_in_order(thread, citizen, resident, django_capture_on_commit_callbacks):
    comment = CommentFactory(target=thread, author=citizen, source="First version")

    async def scenario():
        viewer = socket(thread)
        await viewer.connect()
        await post_and_commit(
            django_capture_on_commit_callbacks,
            lambda: comment_edit(comment=comment, editor=citizen, text="Second version"),
        )
        await post_and_commit(
            django_capture_on_commit_callbacks, lambda: comment_react(comment=comment, user=resident, value=1)
        )
        received = [await viewer.receive_json_from(timeout=5) for _ in range(2)]
        await viewer.disconnect()
        return received

    edited, reacted = run(scenario)

    assert (edited["seq"], edited["kind"]) == (1, "comment.edited")
    assert "Second version" in edited["html"]
    assert "edited</time>" in edited["html"]
    assert (reacted["seq"], reacted["kind"]) == (2, "comment.reacted")
    assert (reacted["up"], reacted["down"]) == (1, 0)
    assert "1 useful" in reacted["score"]


def test_the_pages_language_chooses_the_language_of_the_fragments(thread, citizen, django_capture_on_commit_callbacks):
    anonymous = session_headers()

    async def scenario():
        french, english = socket(thread, anonymous, lang="fr"), socket(thread, anonymous, lang="en")
        await french.connect()
        await english.connect()
        await post_and_commit(
            django_capture_on_commit_callbacks, lambda: comment_create(author=citizen, target=thread, text="Bonjour")
        )
        received = [await french.receive_json_from(timeout=5), await english.receive_json_from(timeout=5)]
        await french.disconnect()
        await english.disconnect()
        return received

    french, english = run(scenario)

    assert french["announce"].startswith("Nouveau commentaire")
    assert english["announce"].startswith("New comment")


def test_a_pending_question_reaches_moderators_and_leaves_only_a_number_for_the_audience(
    layer, live_event, resident, forum_moderator, django_capture_on_commit_callbacks
):
    as_resident, as_moderator = session_headers(resident), session_headers(forum_moderator)

    async def scenario():
        audience, moderator = socket(live_event, as_resident), socket(live_event, as_moderator)
        await audience.connect()
        await moderator.connect()
        await post_and_commit(
            django_capture_on_commit_callbacks,
            lambda: question_ask(thread=live_event, author=resident, text="Will the pool reopen in June?"),
        )
        received = [await audience.receive_json_from(timeout=5), await moderator.receive_json_from(timeout=5)]
        await audience.disconnect()
        await moderator.disconnect()
        return received

    public, private = run(scenario)

    assert public == {"seq": 1, "kind": "noop"}
    assert private["seq"] == 1
    assert private["kind"] == "question.submitted"
    assert private["status"] == "pending"
    assert "Will the pool reopen in June?" in private["html"]
    assert 'value="approve"' in private["html"]


def test_pinning_a_question_updates_the_presenter_screen(
    live_event, resident, forum_moderator, django_capture_on_commit_callbacks
):
    question = QuestionFactory(thread=live_event, author=resident, text="Who pays for the new roof?")

    async def scenario():
        screen = socket(live_event)
        await screen.connect()
        await post_and_commit(
            django_capture_on_commit_callbacks,
            lambda: question_moderate(question=question, actor=forum_moderator, action="pin"),
        )
        event = await screen.receive_json_from(timeout=5)
        await screen.disconnect()
        return event

    event = run(scenario)

    assert event["kind"] == "question.pinned"
    assert event["status"] == "approved"
    assert "Who pays for the new roof?" in event["screen"]
    assert event["announce"] == "Question on screen: Who pays for the new roof?"
    assert 'value="approve"' not in event["html"]  # no moderator controls for the audience


def test_a_page_that_reconnects_catches_up_without_gaps_or_duplicates(
    layer, client, thread, citizen, resident, django_capture_on_commit_callbacks
):
    def post(text: str):
        return post_and_commit(
            django_capture_on_commit_callbacks, lambda: comment_create(author=citizen, target=thread, text=text)
        )

    as_resident = session_headers(resident)

    async def scenario():
        seen: list[dict] = []
        viewer = socket(thread, as_resident)
        await viewer.connect()
        await post("one")
        seen.append(await viewer.receive_json_from(timeout=5))
        await viewer.disconnect()  # the phone goes through a tunnel...
        await post("two")
        await post("three")
        viewer = socket(thread, as_resident)
        await viewer.connect()  # ...and comes back: it asks what it missed after the last number it saw
        url = reverse("forums:thread_events", args=[thread.forum.slug, thread.slug]) + f"?apres={seen[-1]['seq']}"
        caught_up = await database_sync_to_async(lambda: client.get(url).content)()
        seen.extend(json.loads(caught_up)["events"])
        await post("four")
        seen.append(await viewer.receive_json_from(timeout=5))
        assert await viewer.receive_nothing(timeout=0.2)
        await viewer.disconnect()
        return seen

    seen = run(scenario)

    assert [event["seq"] for event in seen] == [1, 2, 3, 4]
    assert [event["html"].count(text) for event, text in zip(seen, ["one", "two", "three", "four"], strict=True)] == [
        1,
        1,
        1,
        1,
    ]


def test_what_a_page_sends_is_ignored(thread):
    async def scenario():
        viewer = socket(thread)
        await viewer.connect()
        await viewer.send_to(text_data="ping")
        quiet = await viewer.receive_nothing(timeout=0.2)
        await viewer.disconnect()
        return quiet

    assert run(scenario)


def test_a_broadcast_that_fails_is_logged_and_never_breaks_the_post(thread, citizen, monkeypatch, caplog):
    def broken_layer():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(events, "get_channel_layer", broken_layer)
    comment_create(author=citizen, target=thread, text="Still saved")
    event = thread.events.get()

    events.broadcast(event.pk)

    assert "Broadcasting forum event" in caplog.text
    assert get_channel_layer() is not None


def test_viewers_keep_receiving_when_the_first_one_leaves_and_a_newcomer_after_all_left(
    layer, thread, citizen, django_capture_on_commit_callbacks
):
    """The process follows the group while any of its sockets does: the first one to come
    leaving takes nothing away from the others."""
    anonymous = session_headers()

    async def scenario():
        first, second, third = (socket(thread, anonymous) for _ in range(3))
        for viewer in (first, second, third):
            assert (await viewer.connect())[0]
        await first.disconnect()
        await post_and_commit(
            django_capture_on_commit_callbacks, lambda: comment_create(author=citizen, target=thread, text="Still live")
        )
        received = [await viewer.receive_json_from(timeout=5) for viewer in (second, third)]
        await second.disconnect()
        await post_and_commit(
            django_capture_on_commit_callbacks, lambda: comment_create(author=citizen, target=thread, text="And now?")
        )
        received.append(await third.receive_json_from(timeout=5))
        await third.disconnect()
        # Everyone left, so the process stopped following the thread; a newcomer starts again.
        fourth = socket(thread, anonymous)
        assert (await fourth.connect())[0]
        await post_and_commit(
            django_capture_on_commit_callbacks, lambda: comment_create(author=citizen, target=thread, text="Anyone?")
        )
        received.append(await fourth.receive_json_from(timeout=5))
        await fourth.disconnect()
        return received

    assert [event["seq"] for event in run(scenario)] == [1, 1, 2, 3]


def test_each_socket_gets_only_the_events_of_its_own_thread(
    layer, forum, thread, citizen, django_capture_on_commit_callbacks
):
    """One channel per server process follows every thread its sockets follow: an event of
    one thread must reach that thread's viewers only."""
    from forums.tests.factories import ThreadFactory

    other = ThreadFactory(forum=forum, slug="bancs", title="Benches?")
    anonymous = session_headers()

    async def scenario():
        here, there = socket(thread, anonymous), socket(other, anonymous)
        for viewer in (here, there):
            assert (await viewer.connect())[0]
        comment = await post_and_commit(
            django_capture_on_commit_callbacks, lambda: comment_create(author=citizen, target=other, text="Yes, please")
        )
        received = await there.receive_json_from(timeout=5)
        nothing_here = await here.receive_nothing(timeout=0.5)
        await here.disconnect()
        await there.disconnect()
        return comment, received, nothing_here

    comment, received, nothing_here = run(scenario)

    assert received["id"] == comment.anchor
    assert nothing_here


def test_a_failed_read_from_the_layer_is_logged_and_the_viewers_stay_connected(
    layer, thread, citizen, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    """Redis hiccups: the process's reader logs it and reads again; no socket is closed."""
    from forums import consumers

    monkeypatch.setattr(consumers, "RETRY_SECONDS", 0)
    channel_layer = get_channel_layer()
    real_receive = channel_layer.receive
    failures: list[str] = []

    async def flaky_receive(channel):
        if not failures:
            failures.append(channel)
            raise ConnectionError("Redis went away")
        return await real_receive(channel)

    monkeypatch.setattr(channel_layer, "receive", flaky_receive)
    anonymous = session_headers()

    async def scenario():
        viewer = socket(thread, anonymous)
        assert (await viewer.connect())[0]
        await post_and_commit(
            django_capture_on_commit_callbacks, lambda: comment_create(author=citizen, target=thread, text="Still here")
        )
        event = await viewer.receive_json_from(timeout=5)
        await viewer.disconnect()
        return event

    assert run(scenario)["seq"] == 1
    assert failures
    assert "Reading live forum events failed" in caplog.text


def test_a_viewer_that_stops_reading_is_closed_without_holding_up_the_others(monkeypatch):
    """A phone that lost its network: its socket stops accepting events. The viewers served
    with it get each event anyway, and it is closed (its page reconnects and catches up)."""
    import asyncio

    from forums import consumers

    monkeypatch.setattr(consumers, "SLOW_VIEWER_SECONDS", 0.2)

    class Viewer:
        def __init__(self, stuck: bool = False) -> None:
            self.stuck, self.received, self.closed_with, self.attempts = stuck, [], [], 0

        async def deliver(self, text: str) -> None:
            self.attempts += 1
            if self.stuck:
                await asyncio.Event().wait()  # never accepts anything
            self.received.append(text)

        async def close(self, code: int) -> None:
            self.closed_with.append(code)

    async def scenario():
        hub = consumers.Hub()
        stuck, others = Viewer(stuck=True), [Viewer() for _ in range(5)]
        hub.members["thread.public.fr"] = {stuck, *others}
        await asyncio.wait_for(hub.fan_out("thread.public.fr", "first"), timeout=5)
        await asyncio.gather(*hub.closing)
        await asyncio.wait_for(hub.fan_out("thread.public.fr", "second"), timeout=5)
        await asyncio.gather(*hub.closing)
        return stuck, others, hub

    stuck, others, hub = async_to_sync(scenario)()

    assert [viewer.received for viewer in others] == [["first", "second"]] * 5
    # Closed once, and never offered the second event: nobody waits for it any more.
    assert stuck.closed_with == [consumers.TOO_SLOW]
    assert stuck.attempts == 1
    assert stuck not in hub.members["thread.public.fr"]
