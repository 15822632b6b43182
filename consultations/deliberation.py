"""Deliberative polls: what changed between the answers before and after the deliberation.

Only panelists who answered both times are compared (paired data), as the Stanford
Deliberative Democracy Lab reports do. For each scale question: the means before and
after, the mean shift and the exact Wilcoxon signed-rank test; for each option of a choice
question: the shares before and after, the shift in points and McNemar's exact test (a
sign test on the people who changed). Knowledge questions give each person a score (share
of correct answers) compared the same way; evaluation questions are asked after only.

The tests are exact (enumerated distributions, no approximation) up to 60 paired
differences, which covers the panels of a municipality (a few dozen to a few hundred:
beyond 60 the normal approximation with tie correction is used). Pure Python: no SciPy.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from civicplatform.core.charts import BarChart, bar_chart

from .models import Answer, Question, QuestionKind, Questionnaire, Response, Wave
from .selectors import questionnaire_structure

# Below this p-value a change is reported as significant.
ALPHA = 0.05
EXACT_UP_TO = 60


# ---------------------------------------------------------------- statistics


def sign_test(increases: int, decreases: int) -> float:
    """Two-sided exact binomial test of `increases` against `decreases` (p = 1/2); McNemar's
    exact test when they are the discordant pairs of a before/after table."""
    n = increases + decreases
    if n == 0:
        return 1.0
    k = min(increases, decreases)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def _average_ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda index: values[index])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def wilcoxon_signed_rank(differences: Sequence[float]) -> tuple[float, float]:
    """(W+, two-sided p) of the Wilcoxon signed-rank test; zero differences are dropped.

    Exact: the null distribution of W+ is enumerated by dynamic programming over the
    (doubled, hence whole) ranks, which also handles tied ranks exactly.
    """
    nonzero = [value for value in differences if value != 0]
    n = len(nonzero)
    if n == 0:
        return 0.0, 1.0
    ranks = _average_ranks([abs(value) for value in nonzero])
    w_plus = sum(rank for rank, value in zip(ranks, nonzero, strict=True) if value > 0)
    if n <= EXACT_UP_TO:
        doubled = [round(2 * rank) for rank in ranks]
        total = sum(doubled)
        counts = [0] * (total + 1)
        counts[0] = 1
        for weight in doubled:
            for value in range(total, weight - 1, -1):
                counts[value] += counts[value - weight]
        observed = round(2 * w_plus)
        lower = sum(counts[: observed + 1])
        upper = sum(counts[observed:])
        return w_plus, min(1.0, 2 * min(lower, upper) / 2**n)
    mean = n * (n + 1) / 4
    ties: dict[float, int] = defaultdict(int)
    for rank in ranks:
        ties[rank] += 1
    variance = n * (n + 1) * (2 * n + 1) / 24 - sum(t**3 - t for t in ties.values()) / 48
    if variance <= 0:
        return w_plus, 1.0
    z = (abs(w_plus - mean) - 0.5) / math.sqrt(variance)
    return w_plus, min(1.0, math.erfc(max(z, 0) / math.sqrt(2)))


# ---------------------------------------------------------------- analysis


@dataclass
class ShiftRow:
    """One line of the shift table: a scale question or one option of a choice question."""

    label: str
    before: float  # mean, or share in %
    after: float
    shift: float
    p_value: float
    unit: str  # "mean" or "percent"

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA


@dataclass
class QuestionShift:
    question: Question
    chart: BarChart
    rows: list[ShiftRow]

    @property
    def chart_id(self) -> str:
        return f"shift-q{self.question.pk}"


@dataclass
class KnowledgeResult:
    questions: int
    before: float  # average score, %
    after: float
    p_value: float
    per_question: list[ShiftRow] = field(default_factory=list)

    @property
    def change(self) -> float:
        return round(self.after - self.before, 1)

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA


@dataclass
class DeliberationAnalysis:
    paired: int
    before_only: int
    shifts: list[QuestionShift]
    knowledge: KnowledgeResult | None
    evaluation: list[tuple[Question, BarChart, float | None]]


def _answers_by_person(questionnaire: Questionnaire) -> tuple[dict, int, int]:
    """{wave: {person: {question: [Answer]}}} for panelists who answered both waves."""
    responses = Response.objects.filter(
        questionnaire=questionnaire, wave__in=[Wave.BEFORE, Wave.AFTER], respondent__isnull=False
    ).values_list("pk", "respondent_id", "wave")
    people: dict[str, dict[int, int]] = {Wave.BEFORE: {}, Wave.AFTER: {}}
    for pk, person, wave in responses:
        people[wave][pk] = person
    paired = set(people[Wave.BEFORE].values()) & set(people[Wave.AFTER].values())
    data: dict[str, dict[int, dict[int, list]]] = {
        Wave.BEFORE: defaultdict(lambda: defaultdict(list)),
        Wave.AFTER: defaultdict(lambda: defaultdict(list)),
    }
    answers = Answer.objects.filter(response__in=[*people[Wave.BEFORE], *people[Wave.AFTER]]).values_list(
        "response_id", "question_id", "option_id", "value"
    )
    for response_id, question_id, option_id, value in answers.iterator(chunk_size=5000):
        wave = Wave.BEFORE if response_id in people[Wave.BEFORE] else Wave.AFTER
        person = people[wave][response_id]
        if person in paired:
            data[wave][person][question_id].append((option_id, value))
    before_only = len(set(people[Wave.BEFORE].values()) - paired)
    return data, len(paired), before_only


def _scale_shift(question: Question, before: dict, after: dict, people: list[int]) -> QuestionShift:
    pairs = [
        (before[p][question.pk][0][1], after[p][question.pk][0][1])
        for p in people
        if before[p].get(question.pk) and after[p].get(question.pk)
    ]
    values = question.scale_values()
    chart = bar_chart(
        [(str(v), [sum(1 for b, _a in pairs if b == v), sum(1 for _b, a in pairs if a == v)]) for v in values],
        series=[Wave.BEFORE.label, Wave.AFTER.label],
    )
    rows = []
    if pairs:
        mean_before = sum(b for b, _a in pairs) / len(pairs)
        mean_after = sum(a for _b, a in pairs) / len(pairs)
        _w, p_value = wilcoxon_signed_rank([a - b for b, a in pairs])
        rows.append(
            ShiftRow(
                label=str(question.text),
                before=round(mean_before, 2),
                after=round(mean_after, 2),
                shift=round(mean_after - mean_before, 2),
                p_value=p_value,
                unit="mean",
            )
        )
    return QuestionShift(question=question, chart=chart, rows=rows)


def _choice_shift(question: Question, before: dict, after: dict, people: list[int]) -> QuestionShift:
    options = [option for option in question.options.all() if not option.is_row]
    answered = [p for p in people if before[p].get(question.pk) and after[p].get(question.pk)]
    chosen_before = {p: {o for o, _v in before[p][question.pk]} for p in answered}
    chosen_after = {p: {o for o, _v in after[p][question.pk]} for p in answered}
    rows, chart_rows = [], []
    for option in options:
        b = sum(1 for p in answered if option.pk in chosen_before[p])
        a = sum(1 for p in answered if option.pk in chosen_after[p])
        gained = sum(1 for p in answered if option.pk in chosen_after[p] and option.pk not in chosen_before[p])
        lost = sum(1 for p in answered if option.pk in chosen_before[p] and option.pk not in chosen_after[p])
        share_before = 100 * b / len(answered) if answered else 0.0
        share_after = 100 * a / len(answered) if answered else 0.0
        chart_rows.append((option.text, [b, a]))
        rows.append(
            ShiftRow(
                label=option.text,
                before=round(share_before, 1),
                after=round(share_after, 1),
                shift=round(share_after - share_before, 1),
                p_value=sign_test(gained, lost),
                unit="percent",
            )
        )
    chart = bar_chart(chart_rows, series=[Wave.BEFORE.label, Wave.AFTER.label], totals=[len(answered)] * 2)
    return QuestionShift(question=question, chart=chart, rows=rows)


def _knowledge(questions: list[Question], before: dict, after: dict, people: list[int]) -> KnowledgeResult | None:
    if not questions or not people:
        return None
    correct = {q.pk: {o.pk for o in q.options.all() if o.is_correct} for q in questions}

    def score(answers: dict, question: Question) -> int:
        chosen = answers.get(question.pk) or []
        return int(bool(chosen) and chosen[0][0] in correct[question.pk])

    scores_before = [sum(score(before[p], q) for q in questions) / len(questions) for p in people]
    scores_after = [sum(score(after[p], q) for q in questions) / len(questions) for p in people]
    _w, p_value = wilcoxon_signed_rank([a - b for b, a in zip(scores_before, scores_after, strict=True)])
    per_question = []
    for question in questions:
        right_before = [score(before[p], question) for p in people]
        right_after = [score(after[p], question) for p in people]
        gained = sum(1 for b, a in zip(right_before, right_after, strict=True) if a > b)
        lost = sum(1 for b, a in zip(right_before, right_after, strict=True) if b > a)
        per_question.append(
            ShiftRow(
                label=question.text,
                before=round(100 * sum(right_before) / len(people), 1),
                after=round(100 * sum(right_after) / len(people), 1),
                shift=round(100 * (sum(right_after) - sum(right_before)) / len(people), 1),
                p_value=sign_test(gained, lost),
                unit="percent",
            )
        )
    return KnowledgeResult(
        questions=len(questions),
        before=round(100 * sum(scores_before) / len(people), 1),
        after=round(100 * sum(scores_after) / len(people), 1),
        p_value=p_value,
        per_question=per_question,
    )


def _evaluation(questions: list[Question], after: dict, people: list[int]) -> list[tuple]:
    items = []
    for question in questions:
        given = [after[p][question.pk] for p in people if after[p].get(question.pk)]
        if question.kind == QuestionKind.SCALE:
            values = [answers[0][1] for answers in given]
            chart = bar_chart([(str(v), [values.count(v)]) for v in question.scale_values()], totals=[len(values)])
            items.append((question, chart, round(sum(values) / len(values), 2) if values else None))
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            chosen = [o for answers in given for o, _v in answers]
            options = [o for o in question.options.all() if not o.is_row]
            chart = bar_chart([(o.text, [chosen.count(o.pk)]) for o in options], totals=[len(given)])
            items.append((question, chart, None))
    return items


def deliberation_analysis(questionnaire: Questionnaire) -> DeliberationAnalysis:
    """Before/after comparison of a deliberative poll, on the panelists who answered twice."""
    questions = [q for view in questionnaire_structure(questionnaire) for q in view.questions]
    data, paired, before_only = _answers_by_person(questionnaire)
    before, after = data[Wave.BEFORE], data[Wave.AFTER]
    people = sorted(set(before) | set(after))
    shifts = []
    for question in questions:
        if question.is_knowledge or question.after_only:
            continue
        if question.kind == QuestionKind.SCALE:
            shifts.append(_scale_shift(question, before, after, people))
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            shifts.append(_choice_shift(question, before, after, people))
    knowledge = _knowledge([q for q in questions if q.is_knowledge], before, after, people)
    evaluation = _evaluation([q for q in questions if q.after_only], after, people)
    return DeliberationAnalysis(
        paired=paired, before_only=before_only, shifts=shifts, knowledge=knowledge, evaluation=evaluation
    )
