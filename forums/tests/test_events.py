"""Numbered thread events and what a page that lost its connection gets back."""

from __future__ import annotations

import pytest

from civicplatform.moderation import services as moderation_services
from forums import events
from forums.models import Comment, ThreadEvent
from forums.services import comment_create, question_ask

pytestmark = pytest.mark.django_db


def test_a_page_that_saw_everything_gets_nothing(thread, citizen):
    comment_create(author=citizen, target=thread, text="One")

    catch_up = events.events_after(thread, 1, moderator=False)

    assert (catch_up.last_seq, catch_up.events, catch_up.reload) == (1, [], False)


def test_too_many_missed_events_ask_for_a_reload(thread, citizen, monkeypatch):
    monkeypatch.setattr(events, "CATCH_UP_LIMIT", 2)
    for text in ("One", "Two", "Three"):
        comment_create(author=citizen, target=thread, text=text)

    assert events.events_after(thread, 0, moderator=False).reload
    assert not events.events_after(thread, 1, moderator=False).reload


def test_the_catch_up_shows_objects_as_they_are_now(thread, citizen, staff, django_capture_on_commit_callbacks):
    comment = comment_create(author=citizen, target=thread, text="Buy cheap watches")
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.content_hide(content=comment, actor=staff, reason="Advertising")

    created, hidden = events.events_after(thread, 0, moderator=False).events

    assert (created["kind"], hidden["kind"]) == ("comment.created", "comment.hidden")
    assert "Buy cheap watches" not in created["html"] + hidden["html"]
    assert created["announce"] == ""  # nothing new to read: it is hidden


def test_moderators_only_events_are_numbered_blanks_for_everyone_else(live_event, resident):
    question_ask(thread=live_event, author=resident, text="Pool in June, really?")

    public = events.events_after(live_event, 0, moderator=False).events
    private = events.events_after(live_event, 0, moderator=True).events

    assert public == [{"seq": 1, "kind": "noop"}]
    assert private[0]["kind"] == "question.submitted"


def test_an_event_whose_object_is_gone_still_counts(thread, citizen):
    comment = comment_create(author=citizen, target=thread, text="Soon gone")
    Comment.objects.filter(pk=comment.pk).delete()

    assert events.events_after(thread, 0, moderator=False).events == [{"seq": 1, "kind": "noop"}]


def test_a_thread_that_is_hidden_tells_its_viewers_to_reload(thread, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.content_hide(content=thread, actor=staff, reason="Off topic")

    event = ThreadEvent.objects.get()
    assert event.kind == events.THREAD_HIDDEN
    (payload,) = events.events_after(thread, 0, moderator=False).events
    assert "Reload the page" in payload["announce"]


def test_the_viewer_key_is_stable_and_reveals_no_id(citizen, resident):
    key = events.viewer_key(citizen)

    assert key == events.viewer_key(citizen)
    assert key != events.viewer_key(resident)
    assert str(citizen.pk) not in key
    assert len(key) == 20
