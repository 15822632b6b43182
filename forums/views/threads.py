"""Forums, threads and their live updates. Every page works without JavaScript;
the thread page mounts the forum-live island, which follows the thread over a
websocket and catches up through `thread_events`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from forums import events, services
from forums.forms import CloseThreadForm, QuestionForm, ThreadForm
from forums.models import Thread, ThreadKind
from forums.predicates import memberships_of
from forums.routing import socket_path
from forums.rules import can_participate
from forums.selectors import (
    THREAD_SORT_PARAM,
    ThreadSort,
    forum_list,
    get_forum_for_user,
    get_thread_for_user,
    question_board,
    thread_list,
)
from forums.services.common import RateLimited
from forums.templatetags.forums_tags import comments_context
from forums.views.comments import _add_errors


def _refused(request: HttpRequest, refusal: PermissionDenied, back: str) -> HttpResponse:
    reason = str(refusal) or _("You cannot do this.")
    return render(request, "forums/refused.html", {"reason": reason, "back": back}, status=403)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "forums/index.html", {"forums": forum_list(request.user)})


@require_GET
def forum_detail(request: HttpRequest, forum_slug: str) -> HttpResponse:
    forum = get_forum_for_user(request.user, forum_slug)
    listing = thread_list(forum=forum, sort=request.GET.get(THREAD_SORT_PARAM, ""), page_number=request.GET.get("page"))
    query = request.GET.copy()
    sort_links = []
    for sort in ThreadSort:
        query[THREAD_SORT_PARAM] = sort.value
        query.pop("page", None)
        sort_links.append({"label": sort.label, "url": f"?{query.urlencode()}", "current": sort == listing.sort})
    context = {
        "forum": forum,
        "listing": listing,
        "sort_links": sort_links,
        "sort": listing.sort,
        "can_start": request.user.has_perm("forums.add_thread", forum),
        "is_member": forum.pk in memberships_of(request.user),
    }
    return render(request, "forums/forum.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def thread_create(request: HttpRequest, forum_slug: str) -> HttpResponse:
    forum = get_forum_for_user(request.user, forum_slug)
    back = forum.get_absolute_url()
    try:
        services.ensure_can_start_thread(forum=forum, user=request.user)
    except PermissionDenied as refusal:
        return _refused(request, refusal, back)
    structured = request.user.has_perm("forums.add_structured_thread", forum)
    form = ThreadForm(request.POST or None, structured=structured, private=forum.is_members_only)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                thread = services.thread_create(
                    forum=forum,
                    author=request.user,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    kind=form.cleaned_data.get("kind") or ThreadKind.DISCUSSION,
                )
            except PermissionDenied as refusal:
                return _refused(request, refusal, back)
            except RateLimited as error:
                form.add_error(None, error.message)
                status = 429
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your discussion has started."))
                return HttpResponseRedirect(thread.get_absolute_url())
    return render(request, "forums/thread_form.html", {"forum": forum, "form": form}, status=status)


def live_context(request: HttpRequest, thread: Thread) -> dict[str, Any]:
    """What the forum-live island needs to follow the thread: where to connect, where to
    catch up, from which event on, and who is viewing (to reveal their own controls)."""
    user = request.user
    return {
        "live_socket_path": socket_path(thread),
        "live_events_url": reverse("forums:thread_events", args=[thread.forum.slug, thread.slug]),
        "live_last_seq": thread.last_event_seq,
        "live_viewer": "participant" if _can_participate(user) else "anonymous",
        "live_viewer_key": events.viewer_key(user),
    }


def _can_participate(user: Any) -> bool:
    return bool(can_participate(user))


@require_GET
def thread_detail(request: HttpRequest, forum_slug: str, thread_slug: str) -> HttpResponse:
    thread = get_thread_for_user(request.user, forum_slug, thread_slug)
    context: dict[str, Any] = {
        "forum": thread.forum,
        "thread": thread,
        "can_close": request.user.has_perm("forums.close_thread", thread),
        **live_context(request, thread),
    }
    if thread.is_live_event:
        context["board"] = question_board(thread=thread, user=request.user)
        context["question_form"] = QuestionForm()
        context["ask_url"] = reverse("forums:question_ask", args=[thread.forum.slug, thread.slug])
    else:
        context.update(comments_context(request, thread))
    return render(request, "forums/thread.html", context)


@never_cache
@require_GET
def thread_events(request: HttpRequest, forum_slug: str, thread_slug: str) -> JsonResponse:
    """What a page missed since the event number `apres`, as JSON (see forums.events.events_after)."""
    thread = get_thread_for_user(request.user, forum_slug, thread_slug)
    try:
        after = int(request.GET.get("apres", ""))
    except ValueError:
        after = -1
    if after < 0:
        return JsonResponse({"error": _("Give the number of the last event seen, from 0.")}, status=400)
    moderator = request.user.has_perm("forums.moderate_thread", thread)
    catch_up = events.events_after(thread, after, moderator=moderator)
    return JsonResponse({"last_seq": catch_up.last_seq, "reload": catch_up.reload, "events": catch_up.events})


@require_http_methods(["GET", "POST"])
@login_required
def thread_close(request: HttpRequest, forum_slug: str, thread_slug: str) -> HttpResponse:
    thread = get_thread_for_user(request.user, forum_slug, thread_slug)
    if not request.user.has_perm("forums.moderate_thread", thread):
        raise PermissionDenied
    back = thread.get_absolute_url()
    if thread.is_closed:
        return _refused(request, PermissionDenied(_("This discussion is already closed.")), back)
    form = CloseThreadForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.thread_close(thread=thread, actor=request.user, conclusion=form.cleaned_data["conclusion"])
            except PermissionDenied as refusal:
                return _refused(request, refusal, back)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The discussion is closed; its conclusions are published."))
                return HttpResponseRedirect(back)
    return render(request, "forums/thread_close.html", {"thread": thread, "form": form}, status=status)


@require_GET
def thread_screen(request: HttpRequest, forum_slug: str, thread_slug: str) -> HttpResponse:
    """The presenter view of a live event: the question on screen, large, for a projector."""
    thread = get_thread_for_user(request.user, forum_slug, thread_slug)
    if not thread.is_live_event:
        return HttpResponseRedirect(thread.get_absolute_url())
    board = question_board(thread=thread, user=request.user)
    context = {"thread": thread, "question": board.on_screen, **live_context(request, thread)}
    return render(request, "forums/thread_screen.html", context)
