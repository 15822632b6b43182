"""Reading questionnaires: access helpers, who may answer now, and the structure to answer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from civicplatform.core.eligibility import ALLOWED, Decision, Refusal
from civicplatform.core.registry import FeaturedItem

from .models import (
    Conversation,
    LocalVote,
    Option,
    PanelMember,
    Question,
    Questionnaire,
    Response,
    Section,
    TextAnswer,
    Wave,
)


def questionnaire_get(slug: str) -> Questionnaire:
    """The questionnaire with its phases (and eligibility districts) loaded; 404 when unknown."""
    questionnaire = Questionnaire.objects.prefetch_related("phases", "restricted_districts").filter(slug=slug).first()
    if questionnaire is None:
        raise Http404
    return questionnaire


def get_questionnaire_for_user(
    request: Any, slug: str, perm: str = "consultations.view_questionnaire"
) -> Questionnaire:
    """The questionnaire named in the URL: 404 when unknown (or unpublished, for the public),
    403 when `perm` is refused."""
    questionnaire = questionnaire_get(slug)
    if not request.user.has_perm("consultations.view_questionnaire", questionnaire):
        raise Http404
    if perm != "consultations.view_questionnaire" and not request.user.has_perm(perm, questionnaire):
        raise PermissionDenied
    return questionnaire


def is_panel_member(questionnaire: Questionnaire, person: Any) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    return PanelMember.objects.filter(questionnaire=questionnaire, person=person).exists()


def answer_decision(questionnaire: Questionnaire, person: Any, now: datetime.datetime | None = None) -> Decision:
    """May `person` (a user, possibly anonymous) answer the questionnaire now? With the reason if not."""
    from civicplatform.moderation.selectors import user_is_blocked_cached

    now = now or timezone.now()
    if not questionnaire.published:
        return Decision(allowed=False, reason=_("This questionnaire is not published."))
    if questionnaire.current_wave(now) is None:
        if questionnaire.is_closed(now):
            return Decision(allowed=False, reason=_("Answering is closed."))
        return Decision(allowed=False, reason=_("Answering is not open at the moment."))
    authenticated = getattr(person, "is_authenticated", False)
    if authenticated and user_is_blocked_cached(person):
        return Decision(allowed=False, reason=_("Your account may no longer take part."))
    if questionnaire.open_to_anyone:
        return ALLOWED
    decision = questionnaire.eligibility_policy().check(person, today=timezone.localdate(now))
    if not decision.allowed:
        return decision
    if questionnaire.is_deliberative and not is_panel_member(questionnaire, person):
        return Decision(
            allowed=False,
            code=Refusal.NONE,
            reason=_("This deliberative poll is answered by the members of its panel only."),
        )
    return ALLOWED


def response_of(
    questionnaire: Questionnaire, *, person: Any = None, anonymous_key: str = "", wave: str
) -> Response | None:
    """The response already given by this person (or browser) in this wave, with its answers."""
    responses = Response.objects.filter(questionnaire=questionnaire, wave=wave)
    if getattr(person, "is_authenticated", False):
        responses = responses.filter(respondent=person)
    elif anonymous_key:
        responses = responses.filter(anonymous_key=anonymous_key)
    else:
        return None
    return responses.prefetch_related("answers", "texts").first()


@dataclass
class SectionView:
    section: Section
    questions: list[Question] = field(default_factory=list)


def questionnaire_structure(questionnaire: Questionnaire, *, wave: str | None = None) -> list[SectionView]:
    """Sections with their questions and options, in order (three queries).

    Evaluation questions (`after_only`) belong to the "after" wave of a deliberative poll;
    without a wave (results, exports) every question is included.
    """
    questions = Question.objects.filter(section__questionnaire=questionnaire).prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("sort_order", "pk"))
    )
    if wave is not None and wave != Wave.AFTER:
        questions = questions.filter(after_only=False)
    by_section: dict[int, SectionView] = {}
    for section in Section.objects.filter(questionnaire=questionnaire).order_by("sort_order", "pk"):
        by_section[section.pk] = SectionView(section=section)
    for question in questions.order_by("sort_order", "pk"):
        by_section[question.section_id].questions.append(question)
    return [view for view in by_section.values() if view.questions]


def questionnaire_lists(now: datetime.datetime | None = None) -> tuple[list[Questionnaire], list[Questionnaire]]:
    """Published questionnaires: open or upcoming first, then closed ones (two queries)."""
    now = now or timezone.now()
    items = list(Questionnaire.objects.filter(published=True).prefetch_related("phases").order_by("-created_at"))
    current = [item for item in items if not item.is_closed(now)]
    past = [item for item in items if item.is_closed(now)]
    return current, past


def local_vote_lists() -> list[LocalVote]:
    return list(LocalVote.objects.filter(published=True).prefetch_related("phases").order_by("-created_at"))


def conversation_list() -> list[Conversation]:
    return list(Conversation.objects.filter(published=True).prefetch_related("phases").order_by("-created_at"))


def texts_to_moderate(questionnaire: Questionnaire) -> QuerySet[TextAnswer]:
    """Free-text answers no moderator has approved or hidden yet, oldest first."""
    return (
        TextAnswer.objects.filter(question__section__questionnaire=questionnaire, approved_at__isnull=True)
        .filter(moderation_state="visible")
        .select_related("question")
        .order_by("pk")
    )


def featured_consultations(limit: int) -> list[FeaturedItem]:
    """Questionnaires open now, for the home page."""
    now = timezone.now()
    items = []
    current, _past = questionnaire_lists(now)
    for questionnaire in current:
        if questionnaire.current_wave(now) is None:
            continue
        items.append(
            FeaturedItem(
                title=questionnaire.title,
                summary=questionnaire.summary,
                url=questionnaire.get_absolute_url(),
                kind=questionnaire.get_kind_display(),
                status=pgettext_lazy("questionnaire status", "open"),
            )
        )
        if len(items) >= limit:
            break
    return items
