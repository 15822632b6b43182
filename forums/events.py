"""What a live thread tells the people viewing it, and how they catch up.

Every change to a thread (a post, an edit, a reaction, a moderation decision, a
question of a live event) is recorded as a numbered ThreadEvent in the same
transaction as the change. The number comes from `Thread.last_event_seq`, raised
under the thread's row lock, so events commit in the order of their numbers: a
page that has seen event N and fetches "after N" can never miss one.

Once the transaction commits, the event is rendered (the same fragment templates
as the page, for a neutral viewer: no personal controls, no CSRF token) and sent
to the thread's channel-layer groups, one per audience (public, moderators) and
language. The consumer forwards the text as is. A page that lost its socket asks
`events_after()` over HTTP, which renders the objects as they are now, like a
reload would; the page applies events by number, so nothing is shown twice.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import partial
from typing import Any
from uuid import UUID

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signing import salted_hmac
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forums.models import Comment, Question, QuestionStatus, Thread, ThreadEvent

logger = logging.getLogger(__name__)
_WHITESPACE = re.compile(r"\s+")
_HTML_FIELDS = ("html", "score", "screen")

COMMENT_CREATED = "comment.created"
COMMENT_EDITED = "comment.edited"
COMMENT_DELETED = "comment.deleted"
COMMENT_HIDDEN = "comment.hidden"
COMMENT_RESTORED = "comment.restored"
COMMENT_REACTED = "comment.reacted"
THREAD_CLOSED = "thread.closed"
THREAD_HIDDEN = "thread.hidden"
THREAD_RESTORED = "thread.restored"
QUESTION_SUBMITTED = "question.submitted"
QUESTION_APPROVED = "question.approved"
QUESTION_DISMISSED = "question.dismissed"
QUESTION_MERGED = "question.merged"
QUESTION_ANSWERED = "question.answered"
QUESTION_PINNED = "question.pinned"
QUESTION_UNPINNED = "question.unpinned"
QUESTION_VOTED = "question.voted"
# Sent to the public in place of an event only moderators may see, so the numbers have no holes.
NOOP = "noop"

COMMENT_KINDS = {COMMENT_CREATED, COMMENT_EDITED, COMMENT_DELETED, COMMENT_HIDDEN, COMMENT_RESTORED, COMMENT_REACTED}
QUESTION_KINDS = {
    QUESTION_SUBMITTED,
    QUESTION_APPROVED,
    QUESTION_DISMISSED,
    QUESTION_MERGED,
    QUESTION_ANSWERED,
    QUESTION_PINNED,
    QUESTION_UNPINNED,
    QUESTION_VOTED,
}
# What may change the question on the room's screen.
SCREEN_KINDS = QUESTION_KINDS - {QUESTION_SUBMITTED, QUESTION_VOTED}
THREAD_KINDS = {THREAD_CLOSED, THREAD_HIDDEN, THREAD_RESTORED}

PUBLIC = "public"
MODERATORS = "moderators"
AUDIENCES = (PUBLIC, MODERATORS)
# Past this many missed events a page is better reloaded than patched.
CATCH_UP_LIMIT = 200


def group_name(thread: Thread, audience: str, language: str) -> str:
    return f"{thread.group_name}.{audience}.{language}"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def viewer_key(user: Any) -> str:
    """A stable, non-reversible key for a participant, so a page can tell its
    viewer's own posts apart in pushed fragments without publishing user ids."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("forums.viewer-key", str(user.pk), algorithm="sha256").hexdigest()[:20]


# ---------------------------------------------------------------- recording


def record(*, thread: Thread, kind: str, object_id: UUID | None = None, moderators_only: bool = False) -> ThreadEvent:
    """Number an event of `thread` and broadcast it once the transaction commits.

    Call it inside the transaction of the change it reports: the UPDATE takes the
    thread's row lock, held until that commit, so the next event's number is only
    handed out after this one is visible to every reader.
    """
    now = timezone.now()
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(last_event_seq=F("last_event_seq") + 1, last_activity_at=now)
        seq = Thread.objects.filter(pk=thread.pk).values_list("last_event_seq", flat=True).get()
        event = ThreadEvent.objects.create(
            thread=thread, seq=seq, kind=kind, object_id=object_id, moderators_only=moderators_only
        )
    thread.last_event_seq = seq
    thread.last_activity_at = now
    transaction.on_commit(partial(broadcast, event.pk))
    return event


def thread_of(target: Any) -> Thread | None:
    """The thread a comment target is, if it is one: comments elsewhere are not live."""
    return target if isinstance(target, Thread) else None


def record_comment(comment: Comment, kind: str) -> ThreadEvent | None:
    thread = thread_of(comment.target)
    if thread is None:
        return None
    return record(thread=thread, kind=kind, object_id=comment.public_id)


# ---------------------------------------------------------------- rendering


@dataclass
class _Loaded:
    """The objects the events of one batch point at, loaded in a few queries."""

    comments: dict[UUID, Comment]
    questions: dict[UUID, Question]


def _load(thread: Thread, events: list[ThreadEvent]) -> _Loaded:
    from forums.selectors import decorate_comments, questions_with_votes

    comment_ids = {e.object_id for e in events if e.kind in COMMENT_KINDS and e.object_id}
    question_ids = {e.object_id for e in events if e.kind in QUESTION_KINDS and e.object_id}
    comments: dict[UUID, Comment] = {}
    if comment_ids:
        rows = list(
            Comment.objects.for_target(thread)
            .filter(public_id__in=comment_ids)
            .select_related("author", "in_reply_to__author", "parent")
        )
        decorate_comments(rows, target=thread, user=AnonymousUser())
        comments = {comment.public_id: comment for comment in rows}
    questions: dict[UUID, Question] = {}
    if question_ids:
        rows = list(questions_with_votes(Question.objects.filter(thread=thread, public_id__in=question_ids)))
        for question in rows:
            question.thread = thread
            question.author_key = viewer_key(question.author) if question.author_id else ""
        questions = {question.public_id: question for question in rows}
    return _Loaded(comments=comments, questions=questions)


def _neutral_context(thread: Thread, audience: str) -> dict[str, Any]:
    return {
        "neutral": True,
        "moderator_view": audience == MODERATORS,
        "next": thread.get_absolute_url(),
        "thread": thread,
    }


def _comment_payload(event: ThreadEvent, comment: Comment | None, thread: Thread, audience: str) -> dict[str, Any]:
    if comment is None:
        return {}
    payload: dict[str, Any] = {"id": comment.anchor}
    context = {**_neutral_context(thread, audience), "comment": comment}
    if event.kind == COMMENT_REACTED:
        payload.update(
            up=comment.up_count,
            down=comment.down_count,
            score=render_to_string("forums/_comment_score.html", context),
        )
        return payload
    if event.kind == COMMENT_CREATED:
        shown = not comment.is_deleted and not comment.is_hidden
        payload.update(
            parent=comment.parent.anchor if comment.parent_id else "",
            list=comment.alignment or "all",
            html=render_to_string("forums/_comment.html", context),
            announce=_("New comment by %(name)s.") % {"name": comment.author_name} if shown else "",
        )
    else:
        payload["html"] = render_to_string("forums/_comment_card.html", context)
        payload["announce"] = {
            COMMENT_EDITED: _("A comment by %(name)s was edited.") % {"name": comment.author_name},
            COMMENT_DELETED: _("A comment was deleted."),
            COMMENT_HIDDEN: _("A comment was hidden by a moderator."),
            COMMENT_RESTORED: _("A comment by %(name)s is visible again.") % {"name": comment.author_name},
        }[event.kind]
    return payload


def _question_payload(event: ThreadEvent, question: Question | None, thread: Thread, audience: str) -> dict[str, Any]:
    if question is None:
        return {}
    moderator = audience == MODERATORS
    # Moderators also follow the questions awaiting their decision; merged and dismissed ones leave every list.
    visible = question.is_public or (moderator and question.status == QuestionStatus.PENDING)
    payload: dict[str, Any] = {"id": question.anchor, "status": question.status if visible else "removed"}
    if event.kind == QUESTION_VOTED:
        if visible:
            payload["votes"] = question.vote_count
            payload["votes_label"] = render_to_string("forums/_question_votes.html", {"question": question}).strip()
        return payload
    if visible:
        context = {**_neutral_context(thread, audience), "question": question}
        payload["html"] = render_to_string("forums/_question.html", context)
    payload["announce"] = _question_announcement(event.kind, question) if visible else ""
    return payload


def _question_announcement(kind: str, question: Question) -> str:
    if kind == QUESTION_SUBMITTED:
        return _("New question awaiting moderation.")
    if kind == QUESTION_APPROVED:
        return _("New question from the audience: %(text)s") % {"text": question.text}
    if kind == QUESTION_PINNED:
        return _("Question on screen: %(text)s") % {"text": question.text}
    if kind == QUESTION_ANSWERED:
        return _("A question was answered.")
    return ""


def _thread_payload(event: ThreadEvent, thread: Thread) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    if event.kind == THREAD_CLOSED:
        payload["html"] = render_to_string("forums/_conclusion.html", {"thread": thread})
        payload["announce"] = _("This discussion is now closed.")
    elif event.kind == THREAD_HIDDEN:
        payload["announce"] = _("This discussion was hidden by a moderator. Reload the page.")
    else:
        payload["announce"] = _("This discussion is visible again. Reload the page.")
    return payload


def _screen_html(thread: Thread) -> str:
    from forums.selectors import pinned_question

    return render_to_string("forums/_screen.html", {"thread": thread, "question": pinned_question(thread)})


def render_payload(
    event: ThreadEvent, thread: Thread, loaded: _Loaded, *, audience: str, screen: str | None = None
) -> dict[str, Any]:
    """The JSON object one viewer receives for `event`, in the active language."""
    if event.moderators_only and audience != MODERATORS:
        return {"seq": event.seq, "kind": NOOP}
    payload: dict[str, Any] = {"seq": event.seq, "kind": event.kind}
    if event.kind in COMMENT_KINDS:
        detail = _comment_payload(event, loaded.comments.get(event.object_id), thread, audience)
    elif event.kind in QUESTION_KINDS:
        detail = _question_payload(event, loaded.questions.get(event.object_id), thread, audience)
        if screen is not None:
            detail["screen"] = screen
    else:
        detail = _thread_payload(event, thread)
    if not detail:
        # The object is gone (a comment erased with its target): nothing to show, but the number counts.
        return {"seq": event.seq, "kind": NOOP}
    payload.update(detail)
    return _compact(payload)


# ---------------------------------------------------------------- broadcasting


def broadcast(event_id: int) -> None:
    """Render a committed event once per audience and language and send it to the
    thread's groups. Runs after commit: a failure is logged, never raised, since
    the change is recorded and pages will catch up on their next event."""
    try:
        event = ThreadEvent.objects.select_related("thread__forum").get(pk=event_id)
        thread = event.thread
        loaded = _load(thread, [event])
        layer = get_channel_layer()
        if layer is None:
            return
        messages = []
        for language in languages():
            with translation.override(language):
                screen = _screen_html(thread) if event.kind in SCREEN_KINDS else None
                for audience in AUDIENCES:
                    payload = render_payload(event, thread, loaded, audience=audience, screen=screen)
                    messages.append((group_name(thread, audience, language), json.dumps(payload)))
        send = async_to_sync(_send_all)
        send(layer, messages)
    except Exception:
        logger.exception("Broadcasting forum event %s failed", event_id)


def _compact(payload: dict[str, Any]) -> dict[str, Any]:
    """The fragments' indentation is for people reading templates; on the wire it is a third of
    the bytes every viewer receives. HTML collapses runs of whitespace anyway (no <pre> here)."""
    for name in _HTML_FIELDS:
        if isinstance(payload.get(name), str):
            payload[name] = _WHITESPACE.sub(" ", payload[name]).strip()
    return payload


async def _send_all(layer: Any, messages: list[tuple[str, str]]) -> None:
    for group, text in messages:
        # The group's name travels with the event: a server process's hub follows many groups
        # through one channel (forums/consumers.py).
        await layer.group_send(group, {"type": "forum.event", "group": group, "text": text})


# ---------------------------------------------------------------- catching up


@dataclass
class CatchUp:
    last_seq: int
    events: list[dict[str, Any]]
    reload: bool = False


def events_after(thread: Thread, after: int, *, moderator: bool) -> CatchUp:
    """What a page that saw every event up to `after` missed, in the active language.

    The thread's counter is read first: every event up to it is committed (see
    record), so the answer has no holes. Too many missed events: reload instead.
    """
    last_seq = Thread.objects.filter(pk=thread.pk).values_list("last_event_seq", flat=True).get()
    thread.last_event_seq = last_seq
    if after >= last_seq:
        return CatchUp(last_seq=last_seq, events=[])
    if last_seq - after > CATCH_UP_LIMIT:
        return CatchUp(last_seq=last_seq, events=[], reload=True)
    events = list(ThreadEvent.objects.filter(thread=thread, seq__gt=after, seq__lte=last_seq).order_by("seq"))
    loaded = _load(thread, events)
    audience = MODERATORS if moderator else PUBLIC
    screen = _screen_html(thread) if any(e.kind in SCREEN_KINDS for e in events) else None
    return CatchUp(
        last_seq=last_seq,
        events=[render_payload(event, thread, loaded, audience=audience, screen=screen) for event in events],
    )
