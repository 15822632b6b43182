"""Results of a questionnaire: counts per question as charts and tables, and published free text.

A fixed number of queries whatever the number of responses: the answers are counted by
one GROUP BY over the questionnaire's questions, respondents by another, and the free
text shown is limited per question by a window function.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from civicplatform.core.charts import BarChart, bar_chart

from .models import Answer, Question, QuestionKind, Questionnaire, Response, TextAnswer, Wave
from .selectors import SectionView, questionnaire_structure

# Free-text answers listed per question on the results page (the export has them all).
TEXTS_SHOWN = 20


@dataclass
class MatrixRowResult:
    label: str
    chart: BarChart
    chart_id: str


@dataclass
class QuestionResult:
    question: Question
    respondents: list[int]
    chart: BarChart | None = None
    means: list[float | None] = field(default_factory=list)
    rows: list[MatrixRowResult] = field(default_factory=list)
    texts: list[TextAnswer] = field(default_factory=list)
    text_count: int = 0
    series: list[str] = field(default_factory=list)
    reading: str = ""

    @property
    def chart_id(self) -> str:
        return f"chart-q{self.question.pk}"

    @property
    def respondent_counts(self) -> list[tuple[str, int]]:
        return list(zip(self.series, self.respondents, strict=False))

    @property
    def mean_values(self) -> list[tuple[str, float | None]]:
        return list(zip(self.series, self.means, strict=False))


@dataclass
class SectionResult:
    view: SectionView
    questions: list[QuestionResult]


@dataclass
class QuestionnaireResults:
    questionnaire: Questionnaire
    waves: list[str]
    responses: list[int]
    sections: list[SectionResult]

    @property
    def series(self) -> list[str]:
        if self.waves == [Wave.SINGLE]:
            return [""]
        return [str(Wave(wave).label) for wave in self.waves]

    @property
    def response_counts(self) -> list[tuple[str, int]]:
        return list(zip(self.series, self.responses, strict=False))


def _counts(questions: list[Question], waves: Sequence[str]) -> dict[tuple, int]:
    rows = (
        Answer.objects.filter(question__in=[q.pk for q in questions], response__wave__in=waves)
        .values_list("question_id", "option_id", "row_id", "value", "response__wave")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(q, o, r, v, w): n for q, o, r, v, w, n in rows}


def _respondents(questions: list[Question], waves: Sequence[str]) -> dict[tuple[int, str], int]:
    choice = (
        Answer.objects.filter(question__in=[q.pk for q in questions], response__wave__in=waves)
        .values_list("question_id", "response__wave")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    )
    text = (
        TextAnswer.objects.filter(question__in=[q.pk for q in questions], response__wave__in=waves)
        .values_list("question_id", "response__wave")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(q, w): n for q, w, n in [*choice, *text]}


def _published_texts(questions: list[Question], waves: Sequence[str]) -> dict[int, list[TextAnswer]]:
    ids = [q.pk for q in questions if q.kind == QuestionKind.TEXT]
    if not ids:
        return {}
    ranked = (
        TextAnswer.objects.filter(
            question__in=ids, response__wave__in=waves, approved_at__isnull=False, moderation_state="visible"
        )
        .annotate(position=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("approved_at").desc()))
        .filter(position__lte=TEXTS_SHOWN)
        .order_by("question_id", "position")
    )
    texts: dict[int, list[TextAnswer]] = defaultdict(list)
    for text in ranked:
        texts[text.question_id].append(text)
    return texts


def _question_result(
    question: Question, waves: list[str], series: list[str], counts: dict, respondents: dict
) -> QuestionResult:
    people = [respondents.get((question.pk, wave), 0) for wave in waves]
    result = QuestionResult(question=question, respondents=people, series=series, reading=describe_kind(question))
    options = list(question.options.all())
    columns = [option for option in options if not option.is_row]

    def count(option_id=None, row_id=None, value=None, wave=None) -> int:
        return counts.get((question.pk, option_id, row_id, value, wave), 0)

    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        result.chart = bar_chart(
            [(option.text, [count(option_id=option.pk, wave=wave) for wave in waves]) for option in columns],
            series=series,
            totals=people,
        )
    elif question.kind == QuestionKind.RANKING:
        # Borda points: with n options, first place gets n points, last place 1.
        size = len(columns)
        points = []
        for option in columns:
            points.append(
                (
                    option.text,
                    [
                        sum(
                            (size - rank + 1) * count(option_id=option.pk, value=rank, wave=wave)
                            for rank in range(1, size + 1)
                        )
                        for wave in waves
                    ],
                )
            )
        result.chart = bar_chart(sorted(points, key=lambda row: -row[1][0]), series=series)
    elif question.kind == QuestionKind.SCALE:
        values = question.scale_values()
        rows = []
        for value in values:
            label = str(value)
            if value == question.scale_min and question.scale_min_label:
                label = f"{value} ({question.scale_min_label})"
            elif value == question.scale_max and question.scale_max_label:
                label = f"{value} ({question.scale_max_label})"
            rows.append((label, [count(value=value, wave=wave) for wave in waves]))
        result.chart = bar_chart(rows, series=series, totals=people)
        for index, wave in enumerate(waves):
            total = people[index]
            weighted = sum(value * count(value=value, wave=wave) for value in values)
            result.means.append(round(weighted / total, 2) if total else None)
    elif question.kind == QuestionKind.MATRIX:
        for row in (option for option in options if option.is_row):
            chart = bar_chart(
                [
                    (column.text, [count(option_id=column.pk, row_id=row.pk, wave=wave) for wave in waves])
                    for column in columns
                ],
                series=series,
            )
            result.rows.append(MatrixRowResult(label=row.text, chart=chart, chart_id=f"chart-q{question.pk}-r{row.pk}"))
    return result


def questionnaire_results(questionnaire: Questionnaire, *, waves: Sequence[str] | None = None) -> QuestionnaireResults:
    """Every question's results for the given waves (a survey: its single wave)."""
    if waves is None:
        waves = [Wave.BEFORE, Wave.AFTER] if questionnaire.is_deliberative else [Wave.SINGLE]
    waves = [str(wave) for wave in waves]
    sections = questionnaire_structure(questionnaire)
    questions = [question for view in sections for question in view.questions]
    counts = _counts(questions, waves)
    respondents = _respondents(questions, waves)
    texts = _published_texts(questions, waves)
    totals = dict(
        Response.objects.filter(questionnaire=questionnaire, wave__in=waves)
        .values_list("wave")
        .annotate(n=Count("pk"))
        .order_by()
    )
    series = [""] if waves == [Wave.SINGLE] else [str(Wave(wave).label) for wave in waves]
    text_counts: dict[int, int] = defaultdict(int)
    for (question_id, _wave), value in respondents.items():
        text_counts[question_id] += value
    section_results = []
    for view in sections:
        items = []
        for question in view.questions:
            item = _question_result(question, waves, series, counts, respondents)
            if question.kind == QuestionKind.TEXT:
                item.texts = texts.get(question.pk, [])
                item.text_count = text_counts.get(question.pk, 0)
            items.append(item)
        section_results.append(SectionResult(view=view, questions=items))
    return QuestionnaireResults(
        questionnaire=questionnaire,
        waves=waves,
        responses=[totals.get(wave, 0) for wave in waves],
        sections=section_results,
    )


def describe_kind(question: Question) -> str:
    """A sentence under the chart saying how to read it."""
    if question.kind == QuestionKind.MULTIPLE:
        return _("Several answers were possible: percentages are of the people who answered the question.")
    if question.kind == QuestionKind.RANKING:
        return _("Points: with n options, a first place is worth n points and a last place 1 point.")
    return ""
