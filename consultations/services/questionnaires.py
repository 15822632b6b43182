"""Answering questionnaires, and approving free-text answers for publication."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplatform.core.services import audit_record

from ..models import Answer, Channel, Question, QuestionKind, Questionnaire, Response, TextAnswer
from ..selectors import answer_decision, questionnaire_structure


class AnswerRefused(PermissionDenied):
    """The person may not answer now; carries the Decision that says why."""

    def __init__(self, decision: Any) -> None:
        self.decision = decision
        super().__init__(decision.reason)


class AlreadyAnswered(ValidationError):
    def __init__(self, message: Any = None) -> None:
        super().__init__(message or gettext_lazy("You have already answered this questionnaire."))


def _answer_rows(question: Question, value: Any, response: Response) -> list[Answer]:
    """The Answer rows of one question's cleaned value; refuses options of another question."""
    if value in (None, "", [], {}):
        return []
    options = {option.pk: option for option in question.options.all()}
    columns = {pk for pk, option in options.items() if not option.is_row}
    rows = {pk for pk, option in options.items() if option.is_row}

    def column(pk: Any) -> int:
        pk = int(pk)
        if pk not in columns:
            raise ValidationError({question.field_name: _("Choose one of the options offered.")})
        return pk

    kind = question.kind
    if kind == QuestionKind.SINGLE:
        return [Answer(response=response, question=question, option_id=column(value))]
    if kind == QuestionKind.MULTIPLE:
        chosen = sorted({column(pk) for pk in value})
        if question.max_choices and len(chosen) > question.max_choices:
            raise ValidationError({question.field_name: _("Too many choices.")})
        return [Answer(response=response, question=question, option_id=pk) for pk in chosen]
    if kind == QuestionKind.RANKING:
        ranked = [column(pk) for pk in value]
        if len(set(ranked)) != len(ranked):
            raise ValidationError({question.field_name: _("Each option can be ranked only once.")})
        return [
            Answer(response=response, question=question, option_id=pk, value=rank)
            for rank, pk in enumerate(ranked, start=1)
        ]
    if kind == QuestionKind.SCALE:
        number = int(value)
        if not question.scale_min <= number <= question.scale_max:
            raise ValidationError({question.field_name: _("Choose a value on the scale.")})
        return [Answer(response=response, question=question, value=number)]
    if kind == QuestionKind.MATRIX:
        cells = []
        for row_pk, column_pk in value.items():
            if int(row_pk) not in rows:
                raise ValidationError({question.field_name: _("Choose one of the options offered.")})
            cells.append(Answer(response=response, question=question, row_id=int(row_pk), option_id=column(column_pk)))
        return cells
    return []


def response_submit(
    *,
    questionnaire: Questionnaire,
    person: Any,
    answers: dict[int, Any],
    anonymous_key: str = "",
    actor: Any = None,
    on_behalf_of: Any = None,
    now: datetime.datetime | None = None,
) -> Response:
    """Record (or, if the questionnaire allows it, replace) the answers of `person` for the open wave.

    `answers` maps question ids to the values the answer form cleaned: an option id (single
    choice), a list of option ids (multiple choice; ranking, best first), a number (scale),
    a text, or {row id: column id} (matrix). Without an account (`person` anonymous) the
    browser's `anonymous_key` identifies the response. A second response in the same wave
    is refused by the database's unique constraints, also when both arrive together; a
    changed free-text answer goes back to the moderators.
    """
    now = now or timezone.now()
    decision = answer_decision(questionnaire, person, now)
    if not decision.allowed:
        raise AnswerRefused(decision)
    wave = questionnaire.current_wave(now)
    authenticated = getattr(person, "is_authenticated", False)
    if not authenticated and not anonymous_key:
        raise AnswerRefused(answer_decision(questionnaire, None, now))
    questions = {q.pk: q for view in questionnaire_structure(questionnaire, wave=wave) for q in view.questions}
    missing = [q for q in questions.values() if q.required and answers.get(q.pk) in (None, "", [], {})]
    if missing:
        raise ValidationError({q.field_name: _("This question needs an answer.") for q in missing})
    lookup = {"respondent": person} if authenticated else {"anonymous_key": anonymous_key}
    try:
        with transaction.atomic():
            response = (
                Response.objects.select_for_update().filter(questionnaire=questionnaire, wave=wave, **lookup).first()
            )
            changed = response is not None
            if changed:
                if not (questionnaire.editable and authenticated):
                    raise AlreadyAnswered
                response.save(update_fields=["updated_at"])
                response.answers.all().delete()
            else:
                response = Response.objects.create(
                    questionnaire=questionnaire,
                    wave=wave,
                    channel=Channel.DESK if on_behalf_of is not None else Channel.ONLINE,
                    **lookup,
                )
            rows: list[Answer] = []
            for pk, question in questions.items():
                if question.kind == QuestionKind.TEXT:
                    _save_text(response, question, answers.get(pk) or "")
                else:
                    rows.extend(_answer_rows(question, answers.get(pk), response))
            Answer.objects.bulk_create(rows)
            audit_record(
                action="consultations.answer_change" if changed else "consultations.answer",
                actor=actor if actor is not None else (person if authenticated else None),
                on_behalf_of=on_behalf_of,
                target=questionnaire,
                data={"wave": wave},
            )
    except IntegrityError:
        if Response.objects.filter(questionnaire=questionnaire, wave=wave, **lookup).exists():
            raise AlreadyAnswered from None
        raise
    return response


def _save_text(response: Response, question: Question, text: str) -> None:
    text = text.strip()
    if len(text) > question.max_length:
        raise ValidationError(
            {question.field_name: _("At most %(count)d characters.") % {"count": question.max_length}}
        )
    existing = TextAnswer.objects.filter(response=response, question=question).first()
    if existing is not None and existing.text == text:
        return
    if existing is not None:
        existing.delete()
    if text:
        TextAnswer.objects.create(response=response, question=question, text=text)


def text_answer_approve(*, answer: TextAnswer, actor: Any) -> TextAnswer:
    """Publish a free-text answer with the results (a moderator read it)."""
    if not actor.has_perm("moderation.moderate_content", answer):
        raise PermissionDenied
    with transaction.atomic():
        locked = TextAnswer.objects.select_for_update().get(pk=answer.pk)
        if locked.is_hidden:
            raise ValidationError(_("This answer is hidden: restore it before approving it."))
        if locked.approved_at is None:
            locked.approved_at = timezone.now()
            locked.save(update_fields=["approved_at"])
            audit_record(action="consultations.text_approve", actor=actor, target=locked)
    answer.approved_at = locked.approved_at
    return answer
