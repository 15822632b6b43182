"""Staff exports of a questionnaire's responses: one row per response, one column per question
(a matrix gets one column per row). No names: a response is identified by a random id.
Free-text answers a moderator hid are replaced by a notice (they may hold personal data)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Question, QuestionKind, Questionnaire, Response
from .selectors import questionnaire_structure

CHUNK = 2000


def _columns(questions: list[Question]) -> list[tuple[str, Question, int | None]]:
    columns = []
    for question in questions:
        if question.kind == QuestionKind.MATRIX:
            for row in (option for option in question.options.all() if option.is_row):
                columns.append((f"{question.text} — {row.text}", question, row.pk))
        else:
            columns.append((question.text, question, None))
    return columns


def _defuse(text: str) -> str:
    """Free text that a spreadsheet would read as a formula is kept as text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _cell(response: Response, question: Question, row_id: int | None, labels: dict[int, str], texts: dict) -> str:
    if question.kind == QuestionKind.TEXT:
        text = texts.get(question.pk)
        if text is None:
            return ""
        return _("[hidden by moderation]") if text.is_hidden else _defuse(text.text)
    answers = [answer for answer in response.answers.all() if answer.question_id == question.pk]
    if question.kind == QuestionKind.SCALE:
        return str(answers[0].value) if answers else ""
    if question.kind == QuestionKind.RANKING:
        ranked = sorted(answers, key=lambda answer: answer.value or 0)
        return " > ".join(labels.get(answer.option_id, "") for answer in ranked)
    if question.kind == QuestionKind.MATRIX:
        return next((labels.get(a.option_id, "") for a in answers if a.row_id == row_id), "")
    return "; ".join(labels.get(answer.option_id, "") for answer in answers)


def response_rows(questionnaire: Questionnaire) -> Iterator[list[Any]]:
    """The header, then one list of cells per response (responses read in chunks)."""
    questions = [q for view in questionnaire_structure(questionnaire) for q in view.questions]
    labels = {option.pk: option.text for question in questions for option in question.options.all()}
    columns = _columns(questions)
    yield [_("response"), _("wave"), _("channel"), _("answered on"), *(title for title, _q, _r in columns)]
    responses = Response.objects.filter(questionnaire=questionnaire).order_by("pk").prefetch_related("answers", "texts")
    for response in responses.iterator(chunk_size=CHUNK):
        texts = {text.question_id: text for text in response.texts.all()}
        yield [
            str(response.public_id),
            response.get_wave_display(),
            response.get_channel_display(),
            timezone.localtime(response.created_at).date().isoformat(),
            *(_cell(response, question, row_id, labels, texts) for _title, question, row_id in columns),
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def responses_csv(questionnaire: Questionnaire) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so that spreadsheet software reads UTF-8
        for row in response_rows(questionnaire):
            yield writer.writerow(row)

    reply = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{questionnaire.slug}-reponses.csv"'
    return reply


def responses_xlsx(questionnaire: Questionnaire) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Responses")[:31])
    for row in response_rows(questionnaire):
        sheet.append(row)
    reply = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    reply["Content-Disposition"] = f'attachment; filename="{questionnaire.slug}-reponses.xlsx"'
    workbook.save(reply)
    return reply
