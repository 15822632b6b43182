"""Two real browsers on one live thread, at phone width: a post appears in the other
page without a reload, a moderator's decision removes it from both, and a page that
loses its connection catches up without gaps or duplicates.

The harness's live server is WSGI (no websockets), so these tests start the project's
ASGI application (HTTP, static files and websockets) in uvicorn, in a thread of the test
process, against the same test database and channel layer (Redis when configured).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created
from django.test import Client
from django.utils import translation

from civicplatform.accounts.tests.factories import ResidentFactory
from civicplatform.moderation.models import ModeratorAssignment
from forums.tests.factories import ForumFactory, ThreadFactory
from tests.browser.conftest import CHROMIUM

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def _french(msgid: str) -> str:
    with translation.override("fr"):
        return translation.gettext(msgid)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def asgi_server(_flush_with_delete, transactional_db, django_db_serialized_rollback) -> Iterator[str]:
    """The ASGI application served by uvicorn on a free loopback port; yields its base URL."""
    import uvicorn
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from civicplatform.asgi import application

    app = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(application.application_mapping["http"]),
            "websocket": application.application_mapping["websocket"],
        }
    )
    # Requests run in the server's threads: do not keep their connections open after the test.
    database = connections.settings["default"]
    max_age = database.get("CONN_MAX_AGE", 0)
    database["CONN_MAX_AGE"] = 0
    # Some are still open when the server stops (threads that ended between requests): they
    # would keep the test database from being dropped at the end of the session. Note every
    # connection the server's threads open, and close what is left of them afterwards.
    opened: list = []
    test_thread = threading.current_thread()

    def note(sender, connection, **kwargs) -> None:
        if threading.current_thread() is not test_thread:
            opened.append(connection.connection)

    connection_created.connect(note, weak=False, dispatch_uid="asgi-live-server")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="websockets-sansio")
    )
    runner = threading.Thread(target=server.run, name="asgi-live-server", daemon=True)
    runner.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not runner.is_alive():
            server.should_exit = True
            pytest.fail("The ASGI test server did not start within 20 s.")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        runner.join(timeout=10)
        database["CONN_MAX_AGE"] = max_age
        connection_created.disconnect(dispatch_uid="asgi-live-server")
        for raw in opened:
            if not raw.closed:
                raw.close()


def _ensure_default_site() -> None:
    """The site chrome needs Wagtail's default site. Serialized rollback normally restores it;
    a reused test database emptied by an earlier run has nothing to restore."""
    from wagtail.models import Locale, Page, Site

    if Site.objects.filter(is_default_site=True).exists():
        return
    if not Locale.objects.exists():
        Locale.objects.create(language_code="fr")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=Page(title="Accueil", slug="accueil"))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


@pytest.fixture
def cast(asgi_server) -> dict:
    """A public forum thread, two residents and a moderator (not staff: no second factor to set up)."""
    _ensure_default_site()
    thread = ThreadFactory(
        forum=ForumFactory(slug="quartier-nord", title="Quartier Nord"),
        slug="bancs",
        title="Des bancs place du Marché",
        source="Où faudrait-il installer des bancs ?",
        body="<p>Où faudrait-il installer des bancs ?</p>",
    )
    moderator = ResidentFactory(pseudonym="Modératrice")
    ModeratorAssignment.objects.create(user=moderator, title="Adjointe")
    return {
        "thread": thread,
        "alice": ResidentFactory(pseudonym="Alice"),
        "bob": ResidentFactory(pseudonym="Bob"),
        "moderator": moderator,
    }


def _page_for(browser, base_url: str, user) -> tuple:
    """A phone-sized page logged in as `user`, failing the test on any JavaScript error."""
    context = browser.new_context(viewport=PHONE, locale="fr-FR", base_url=base_url)
    context.set_default_timeout(15_000)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def _open_live(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-widget='forum-live'][data-live-connected]")


@pytest.fixture
def second_browser(browser) -> Iterator:
    """Another Chromium process: Alice and Bob do not share a browser."""
    other = browser.browser_type.launch(executable_path=str(CHROMIUM), headless=True)
    try:
        yield other
    finally:
        other.close()


def test_a_post_reaches_the_other_browser_and_a_moderator_hides_it_for_both(
    browser, second_browser, asgi_server, cast, assert_accessible, assert_no_horizontal_scroll
):
    thread = cast["thread"]
    url = thread.get_absolute_url()
    alice_context, alice, alice_errors = _page_for(second_browser, asgi_server, cast["alice"])
    bob_context, bob, bob_errors = _page_for(browser, asgi_server, cast["bob"])
    moderator_context, moderator, moderator_errors = _page_for(browser, asgi_server, cast["moderator"])
    try:
        _open_live(bob, url)
        assert_accessible(bob)
        assert_no_horizontal_scroll(bob)
        # Bob starts a reply of his own: live updates must never touch it, nor reload his page.
        bob.fill("#id_comment-text", "Mon brouillon en cours")
        bob.evaluate("() => { window.stillTheSamePage = true; }")

        _open_live(alice, url)
        alice.fill("#id_comment-text", "Des bancs à l’ombre des tilleuls, s’il vous plaît.")
        alice.get_by_role("button", name=_french("Publish")).click()
        alice.wait_for_selector("text=Des bancs à l’ombre des tilleuls")
        assert_accessible(alice)

        post = bob.locator(".comment", has_text="Des bancs à l’ombre des tilleuls")
        post.wait_for()
        assert post.count() == 1
        assert bob.evaluate("() => window.stillTheSamePage") is True
        assert bob.input_value("#id_comment-text") == "Mon brouillon en cours"
        announcer = bob.locator("[data-live-announcer]")
        assert announcer.get_attribute("aria-live") == "polite"
        bob.wait_for_function("() => document.querySelector('[data-live-announcer]').textContent.includes('Alice')")
        # Controls meant for Bob are revealed (he may react), Alice's own are not.
        assert post.get_by_role("button", name=re.compile(_french("Useful"))).is_visible()
        assert not post.get_by_role("link", name=re.compile(_french("Edit"))).is_visible()
        assert_accessible(bob)

        # A moderator hides it: it disappears from both pages, in favour of the public reason.
        _open_live(alice, url)
        comment_id = post.get_attribute("id").removeprefix("comment-")
        moderator.goto(f"/moderation/contenu/forums.comment/{comment_id}/")
        moderator.fill("#id_hide-reason", "Message hors charte")
        moderator.locator("form[action$='/masquer/'] button[type=submit]").click()
        moderator.wait_for_load_state()

        for page in (alice, bob):
            page.locator(".comment__text", has_text="Des bancs à l’ombre des tilleuls").wait_for(state="detached")
            assert page.locator(".comment", has_text="Message hors charte").count() == 1
        assert bob.input_value("#id_comment-text") == "Mon brouillon en cours"
        assert bob.evaluate("() => window.stillTheSamePage") is True
        assert_accessible(bob)
    finally:
        for context in (alice_context, bob_context, moderator_context):
            context.close()
    assert not alice_errors
    assert not bob_errors
    assert not moderator_errors


def test_a_page_that_loses_its_connection_catches_up_without_gaps_or_duplicates(browser, asgi_server, cast):
    thread = cast["thread"]
    context, page, errors = _page_for(browser, asgi_server, cast["bob"])
    sockets: list = []
    refuse = threading.Event()

    def route(ws) -> None:
        if refuse.is_set():
            ws.close()  # the network is down: every attempt fails, the page keeps trying
            return
        ws.connect_to_server()
        sockets.append(ws)

    try:
        page.route_web_socket(re.compile(r"/ws/forums/"), route)
        _open_live(page, thread.get_absolute_url())
        page.evaluate("() => { window.stillTheSamePage = true; }")

        refuse.set()
        sockets[-1].close()
        page.wait_for_selector("[data-widget='forum-live']:not([data-live-connected])")
        # Two posts while the page is offline: their broadcasts never reach it.
        posted = _post_in_background(thread, cast["alice"], ["Premier message", "Deuxième message"])
        refuse.clear()

        # The page retries with a growing delay (up to 30 s): give it time on a loaded machine.
        page.wait_for_selector("[data-widget='forum-live'][data-live-connected]", timeout=45_000)
        for comment in posted:
            page.locator(f"#{comment.anchor}").wait_for()
        # And one after the reconnection, over the socket.
        (last,) = _post_in_background(thread, cast["alice"], ["Troisième message"])
        page.locator(f"#{last.anchor}").wait_for()

        for comment in [*posted, last]:
            assert page.locator(f"#{comment.anchor}").count() == 1
        assert page.locator("[data-widget='forum-live']").get_attribute("data-last-seq") == "3"
        assert page.evaluate("() => window.stillTheSamePage") is True
    finally:
        context.close()
    assert not errors


def _post_in_background(thread, author, texts: list[str]) -> list:
    """Post like a request would, from another thread: the test's own thread runs Playwright's
    event loop, where Django's on-commit broadcast (async_to_sync) cannot run."""
    from forums.services import comment_create

    posted: list = []

    def post() -> None:
        try:
            for text in texts:
                posted.append(comment_create(author=author, target=thread, text=text))
        finally:
            connections.close_all()

    worker = threading.Thread(target=post)
    worker.start()
    worker.join(timeout=60)
    assert len(posted) == len(texts)
    return posted


def test_a_debate_has_two_sides_on_wide_screens_and_one_labelled_column_on_phones(
    browser, asgi_server, cast, assert_accessible, assert_no_horizontal_scroll
):
    from forums.models import Alignment, ThreadKind
    from forums.tests.factories import CommentFactory

    debate = ThreadFactory(
        forum=cast["thread"].forum, slug="pietonne", title="Rue du Marché piétonne le samedi ?", kind=ThreadKind.DEBATE
    )
    CommentFactory(target=debate, author=cast["alice"], alignment=Alignment.FOR, source="Plus sûr pour les enfants.")
    CommentFactory(target=debate, author=cast["bob"], alignment=Alignment.AGAINST, source="Livraisons difficiles.")
    context, page, errors = _page_for(browser, asgi_server, cast["bob"])
    try:
        _open_live(page, debate.get_absolute_url())
        for_side, against_side = page.locator(".debate__side--for"), page.locator(".debate__side--against")
        # Phone: one column, each contribution says its side in words.
        assert against_side.bounding_box()["y"] > for_side.bounding_box()["y"] + for_side.bounding_box()["height"] - 1
        assert for_side.locator(".alignment", has_text=_french("For")).is_visible()
        assert_accessible(page)
        assert_no_horizontal_scroll(page)

        page.set_viewport_size({"width": 1280, "height": 900})
        left, right = for_side.bounding_box(), against_side.bounding_box()
        assert abs(left["y"] - right["y"]) < 2
        assert right["x"] > left["x"] + left["width"] - 1
        assert_accessible(page)
    finally:
        context.close()
    assert not errors


def test_the_presenter_screen_follows_the_question_a_moderator_pins(
    browser, asgi_server, cast, assert_accessible, assert_no_horizontal_scroll
):
    from forums.models import ThreadKind
    from forums.services import question_moderate
    from forums.tests.factories import QuestionFactory

    event = ThreadFactory(
        forum=cast["thread"].forum, slug="seance", title="Conseil municipal du 12 mars", kind=ThreadKind.LIVE_EVENT
    )
    question = QuestionFactory(thread=event, author=cast["alice"], text="Quand rouvre la piscine ?")
    audience_context, audience, audience_errors = _page_for(browser, asgi_server, cast["bob"])
    screen_context, screen, screen_errors = _page_for(browser, asgi_server, cast["bob"])
    try:
        _open_live(audience, event.get_absolute_url())
        assert audience.get_by_text("Quand rouvre la piscine ?").is_visible()
        assert_accessible(audience)
        assert_no_horizontal_scroll(audience)
        _open_live(screen, event.get_absolute_url() + "ecran/")
        assert screen.get_by_text(_french("The next question will appear here.")).is_visible()

        _in_background(lambda: question_moderate(question=question, actor=cast["moderator"], action="pin"))

        screen.locator("[data-live-screen]", has_text="Quand rouvre la piscine ?").wait_for()
        audience.locator(f"#{question.anchor} .badge", has_text=_french("On screen")).wait_for()
        assert_accessible(screen)
    finally:
        audience_context.close()
        screen_context.close()
    assert not audience_errors
    assert not screen_errors


def _in_background(action) -> None:
    """Run a service from another thread (see _post_in_background)."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            failures.append(error)
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=60)
    assert not failures, failures
