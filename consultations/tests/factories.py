from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from consultations.models import (
    LocalVote,
    Option,
    PhaseKind,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnairePhase,
    Section,
    VoteKind,
    VotePhase,
)


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Questionnaire {n}")
    slug = factory.Sequence(lambda n: f"questionnaire-{n}")
    published = True
    min_verification_level = 1


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    title = factory.Sequence(lambda n: f"Section {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda n: f"Question {n}?")


def add_options(question: Question, *texts: str, rows: tuple[str, ...] = (), correct: str = "") -> list[Option]:
    options = [
        Option.objects.create(question=question, text=text, sort_order=index, is_correct=text == correct)
        for index, text in enumerate(texts)
    ]
    options += [
        Option.objects.create(question=question, text=text, is_row=True, sort_order=index)
        for index, text in enumerate(rows)
    ]
    return options


def add_phase(obj, kind: str = PhaseKind.ANSWER, *, start_days: float = -1, end_days: float = 7):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    if isinstance(obj, LocalVote):
        return VotePhase.objects.create(vote=obj, starts_at=now + start_days * day, ends_at=now + end_days * day)
    return QuestionnairePhase.objects.create(
        questionnaire=obj, kind=kind, starts_at=now + start_days * day, ends_at=now + end_days * day
    )


class LocalVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalVote
        skip_postgeneration_save = True

    kind = VoteKind.REFERENDUM
    title = factory.Sequence(lambda n: f"Référendum {n}")
    slug = factory.Sequence(lambda n: f"referendum-{n}")
    question = "Approuvez-vous le projet de délibération ?"
    deliberation_reference = "Délibération n° 2026-045"
    deliberation_date = datetime.date(2026, 3, 12)
    registered_electors = 10
    published = True
