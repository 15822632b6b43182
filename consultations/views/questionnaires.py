"""Questionnaires: the page, answering (on a phone, without JavaScript), results, exports,
and the moderation of free-text answers.

Whose answer it is comes from participant_for(): a staff member acting for a person at
the desk answers for them. Without an account (questionnaires open to anyone) the
browser gets a random key in a signed cookie, which is what "one answer" means then;
such posts are rate-limited by address.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from civicplatform.core.eligibility import eligibility_summary
from civicplatform.moderation import services as moderation
from civicplatform.verification.desk import participant_for

from .. import exports, selectors
from ..forms import AnswerForm, TextModerationForm
from ..models import TextAnswer
from ..results import questionnaire_results
from ..services.questionnaires import AlreadyAnswered, AnswerRefused, response_submit, text_answer_approve
from ._helpers import add_errors, back_office, refused

ANONYMOUS_COOKIE = "consultations_key"
ANONYMOUS_SALT = "consultations.anonymous"
ANONYMOUS_KEEP = 60 * 60 * 24 * 365
ANONYMOUS_RATE = "10/h"


def _anonymous_key(request: HttpRequest) -> str:
    return request.get_signed_cookie(ANONYMOUS_COOKIE, default="", salt=ANONYMOUS_SALT, max_age=ANONYMOUS_KEEP)


def _person(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    """Whose answer this is, and the audit arguments (desk)."""
    if not request.user.is_authenticated:
        return request.user, {}
    participation = participant_for(request)
    return participation.person, {"actor": participation.actor, "on_behalf_of": participation.on_behalf_of}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    current, past = selectors.questionnaire_lists()
    return render(
        request,
        "consultations/index.html",
        {
            "current": current,
            "past": past,
            "votes": selectors.local_vote_lists(),
            "conversations": selectors.conversation_list(),
            "now": timezone.now(),
        },
    )


@require_GET
def questionnaire_detail(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = selectors.get_questionnaire_for_user(request, slug)
    person, _audit = _person(request)
    now = timezone.now()
    decision = selectors.answer_decision(questionnaire, person, now)
    wave = questionnaire.current_wave(now)
    already = None
    if wave is not None:
        already = selectors.response_of(questionnaire, person=person, anonymous_key=_anonymous_key(request), wave=wave)
    context = {
        "questionnaire": questionnaire,
        "phases": questionnaire.get_phases(),
        "decision": decision,
        "already": already,
        "who": _("Open to anyone, without an account.")
        if questionnaire.open_to_anyone
        else eligibility_summary(questionnaire.eligibility_policy()),
        "can_see_results": request.user.has_perm("consultations.view_results", questionnaire),
        "can_export": request.user.has_perm("consultations.export_responses", questionnaire),
        "can_moderate": request.user.has_perm("consultations.moderate_answers", questionnaire),
    }
    if questionnaire.is_deliberative:
        context["events"] = list(questionnaire.events.all())
        context["briefings"] = list(questionnaire.briefings.all())
    return render(request, "consultations/questionnaire_detail.html", context)


@require_http_methods(["GET", "POST"])
def questionnaire_answer(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = selectors.get_questionnaire_for_user(request, slug)
    back = questionnaire.get_absolute_url()
    if not questionnaire.open_to_anyone and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    person, audit = _person(request)
    now = timezone.now()
    decision = selectors.answer_decision(questionnaire, person, now)
    if not decision.allowed:
        return refused(request, decision, back=back)
    wave = questionnaire.current_wave(now)
    key = "" if request.user.is_authenticated else _anonymous_key(request)
    existing = selectors.response_of(questionnaire, person=person, anonymous_key=key, wave=wave)
    if existing is not None and not (questionnaire.editable and request.user.is_authenticated):
        return refused(request, _("You have already answered this questionnaire."), back=back)
    sections = selectors.questionnaire_structure(questionnaire, wave=wave)
    if request.method == "POST":
        form = AnswerForm(request.POST, sections=sections)
        if not request.user.is_authenticated and is_ratelimited(
            request, group="consultations.answer", key="ip", rate=ANONYMOUS_RATE, method="POST", increment=True
        ):
            return refused(request, _("Too many answers from this connection. Try again later."), back=back, status=429)
        if form.is_valid():
            new_key = key or ("" if request.user.is_authenticated else secrets.token_hex(16))
            try:
                response_submit(
                    questionnaire=questionnaire,
                    person=person,
                    answers=form.answers(),
                    anonymous_key=new_key,
                    now=now,
                    **audit,
                )
            except AnswerRefused as error:
                return refused(request, error.decision, back=back)
            except AlreadyAnswered as error:
                return refused(request, error.messages[0], back=back)
            except ValidationError as error:
                add_errors(form, error)
            else:
                if existing is not None:
                    messages.success(request, _("Your answers have been changed."))
                else:
                    messages.success(request, _("Thank you: your answers are recorded."))
                reply = redirect("consultations:questionnaire_thanks", slug=questionnaire.slug)
                if new_key and new_key != key:
                    reply.set_signed_cookie(
                        ANONYMOUS_COOKIE,
                        new_key,
                        salt=ANONYMOUS_SALT,
                        max_age=ANONYMOUS_KEEP,
                        secure=request.is_secure(),
                        httponly=True,
                        samesite="Lax",
                    )
                return reply
        status = 400
    else:
        form = AnswerForm(sections=sections, response=existing)
        status = 200
    return render(
        request,
        "consultations/questionnaire_answer.html",
        {
            "questionnaire": questionnaire,
            "form": form,
            "existing": existing,
            "wave": wave,
            "on_behalf_of": audit.get("on_behalf_of"),
        },
        status=status,
    )


@require_GET
def questionnaire_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = selectors.get_questionnaire_for_user(request, slug)
    return render(
        request,
        "consultations/questionnaire_thanks.html",
        {
            "questionnaire": questionnaire,
            "can_see_results": request.user.has_perm("consultations.view_results", questionnaire),
            "can_change": questionnaire.editable and request.user.is_authenticated,
        },
    )


@require_GET
def questionnaire_results_view(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = selectors.get_questionnaire_for_user(request, slug)
    if not request.user.has_perm("consultations.view_results", questionnaire):
        return refused(
            request,
            _("The results will be published when answering closes."),
            back=questionnaire.get_absolute_url(),
        )
    results = questionnaire_results(questionnaire)
    context = {
        "questionnaire": questionnaire,
        "results": results,
        "can_export": request.user.has_perm("consultations.export_responses", questionnaire),
    }
    if questionnaire.is_deliberative:
        from ..deliberation import deliberation_analysis

        context["analysis"] = deliberation_analysis(questionnaire)
    return render(request, "consultations/questionnaire_results.html", context)


@back_office
@require_GET
def questionnaire_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    questionnaire = selectors.get_questionnaire_for_user(request, slug, perm="consultations.export_responses")
    if fmt == "csv":
        return exports.responses_csv(questionnaire)
    if fmt == "xlsx":
        return exports.responses_xlsx(questionnaire)
    raise Http404


@back_office
@require_GET
def text_moderation(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = selectors.get_questionnaire_for_user(request, slug, perm="consultations.moderate_answers")
    pending = list(selectors.texts_to_moderate(questionnaire)[:50])
    return render(
        request,
        "consultations/text_moderation.html",
        {"questionnaire": questionnaire, "pending": pending, "form": TextModerationForm()},
    )


@back_office
@require_POST
def text_moderate(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    questionnaire = selectors.get_questionnaire_for_user(request, slug, perm="consultations.moderate_answers")
    answer = get_object_or_404(
        TextAnswer.objects.select_related("question__section__questionnaire", "response"),
        public_id=public_id,
        question__section__questionnaire=questionnaire,
    )
    form = TextModerationForm(request.POST)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            text_answer_approve(answer=answer, actor=request.user)
            messages.success(request, _("The answer is published with the results."))
        elif decision == "hide" and form.is_valid():
            moderation.content_hide(content=answer, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The answer is hidden."))
        else:
            raise ValidationError(_("Choose to publish or to hide the answer."))
    except PermissionDenied:
        raise
    except ValidationError as error:
        pending = list(selectors.texts_to_moderate(questionnaire)[:50])
        add_errors(form, error)
        return render(
            request,
            "consultations/text_moderation.html",
            {"questionnaire": questionnaire, "pending": pending, "form": form, "failed": answer},
            status=400,
        )
    return redirect("consultations:text_moderation", slug=questionnaire.slug)
