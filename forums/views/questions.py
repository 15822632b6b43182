"""Live-event questions: ask, support, moderate. Plain form POSTs, then back to the
thread (Post/Redirect/Get); the other viewers get the change live."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from forums import services
from forums.forms import QuestionForm, QuestionModerationForm
from forums.models import Question, QuestionStatus
from forums.selectors import get_question, get_thread_for_user
from forums.services.common import RateLimited
from forums.views.comments import _add_errors
from forums.views.threads import _refused
from frontend.views import bad_request


def _board_url(question_or_thread_url: str, anchor: str = "questions") -> str:
    return f"{question_or_thread_url}#{anchor}"


@require_POST
def question_ask(request: HttpRequest, forum_slug: str, thread_slug: str) -> HttpResponse:
    thread = get_thread_for_user(request.user, forum_slug, thread_slug)
    back = thread.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(_board_url(back, "ask"))
    form = QuestionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.question_ask(thread=thread, author=request.user, text=form.cleaned_data["text"])
        except PermissionDenied as refusal:
            return _refused(request, refusal, back)
        except RateLimited as error:
            form.add_error(None, error.message)
            status = 429
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your question has been sent. It will appear once a moderator approves it."))
            return HttpResponseRedirect(_board_url(back))
    context = {
        "thread": thread,
        "form": form,
        "action": reverse("forums:question_ask", args=[thread.forum.slug, thread.slug]),
    }
    return render(request, "forums/question_form.html", context, status=status)


@require_POST
def question_vote(request: HttpRequest, public_id: UUID) -> HttpResponse:
    question = get_question(public_id, request.user)
    back = question.thread.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(_board_url(back, question.anchor))
    support = request.POST.get("soutien", "1") != "0"
    try:
        services.question_vote(question=question, user=request.user, support=support)
    except PermissionDenied as refusal:
        return _refused(request, refusal, back)
    return HttpResponseRedirect(_board_url(back, question.anchor))


@require_POST
def question_moderate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    question = get_question(public_id, request.user)
    back = question.thread.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(_board_url(back, question.anchor))
    if not request.user.has_perm("forums.moderate_question", question):
        raise PermissionDenied
    form = QuestionModerationForm(request.POST)
    if not form.is_valid():
        return bad_request(request)
    into = None
    if form.cleaned_data["into"]:
        into = Question.objects.filter(public_id=form.cleaned_data["into"], thread=question.thread).first()
    try:
        services.question_moderate(question=question, actor=request.user, action=form.cleaned_data["action"], into=into)
    except ValidationError as error:
        context = {"reason": " ".join(error.messages), "back": _board_url(back, question.anchor)}
        return render(request, "forums/refused.html", context, status=400)
    messages.success(request, _("Decision recorded."))
    return HttpResponseRedirect(_board_url(back, question.anchor))


@require_http_methods(["GET"])
def question_merge(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Choose the question a duplicate is merged into (the choice is posted to question_moderate)."""
    question = get_question(public_id, request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("forums.moderate_question", question):
        raise PermissionDenied
    candidates = (
        Question.objects.filter(thread=question.thread, status__in=[QuestionStatus.PENDING, QuestionStatus.APPROVED])
        .exclude(pk=question.pk)
        .select_related("author")
        .order_by("-status", "created_at")
    )
    context = {"question": question, "thread": question.thread, "candidates": candidates}
    return render(request, "forums/question_merge.html", context)
