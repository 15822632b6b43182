"""Consultations: opinion grouping at vTaiwan scale, and a questionnaire's results page.

    python -m bench.consultations                      # both parts
    python -m bench.consultations --sizes 100 10000 --repeat 5 --runs 5

1. Opinion grouping: 2,000 participants and 200 statements (vTaiwan's largest Pol.is
   conversations: 1,921 voters, 197 statements) in three opinion camps with 10 % noise,
   at two densities: 13 % of the cells voted (vTaiwan UberX: about 50,000 votes) and 50 %.
   Timed: the mathematics alone (consultations.grouping.group_participants: PCA, k-means
   for k = 2..5, silhouettes, representative and consensus statements), and the whole
   Celery task body (consultations.services.opinions.grouping_compute: reading the votes
   from PostgreSQL, the mathematics, storing the result). Wall time, median of --runs.
2. Results page: a questionnaire with one question of each type (single, multiple,
   ranking, scale, matrix of 3 rows, free text) and 100, 1,000 and 10,000 responses; the
   number of queries of the page (it must not grow) and its median CPU time.

A dedicated `bench_consultations` PostgreSQL database is recreated and migrated (test
settings, Redis database 14). Results go to docs/BENCHMARKS.md, "Consultations".
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_consultations"
REDIS_URL = "redis://127.0.0.1:6379/14"
PEOPLE, STATEMENTS = 2000, 200


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_consultations WITH (FORCE)")
        conn.execute("CREATE DATABASE bench_consultations")
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        env=os.environ,
        cwd=ROOT,
        check=True,
        timeout=900,
    )


def synthetic_votes(density: float, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    camp = rng.integers(0, 3, PEOPLE)
    opinions = rng.choice([-1, 0, 1], size=(3, STATEMENTS), p=[0.4, 0.2, 0.4])
    values = np.where(
        rng.random((PEOPLE, STATEMENTS)) < 0.9, opinions[camp], rng.choice([-1, 0, 1], (PEOPLE, STATEMENTS))
    )
    seen = rng.random((PEOPLE, STATEMENTS)) < density
    people, statements = np.nonzero(seen)
    return people, statements, values[seen]


def bench_grouping(runs: int) -> list[tuple]:
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from consultations.grouping import group_participants, vote_matrix
    from consultations.models import Conversation, ConversationPhase, Statement, StatementVote
    from consultations.services.opinions import grouping_compute

    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        user_model(email=f"bench-{n}@bench.example", pseudonym=f"Bench {n}", password="!")  # noqa: S106 - unusable
        for n in range(PEOPLE)
    )
    rows = []
    for density in (0.13, 0.5):
        people, statements, values = synthetic_votes(density)
        matrix, person_ids, statement_ids = vote_matrix(values.astype(float), people, statements)
        math_times, result = [], None
        for _run in range(runs):
            started = time.perf_counter()
            result = group_participants(matrix, person_ids, statement_ids)
            math_times.append(time.perf_counter() - started)
        conversation = Conversation.objects.create(
            slug=f"bench-{int(density * 100)}", title="Bench", topic="Bench", published=True
        )
        now = timezone.now()
        ConversationPhase.objects.create(
            conversation=conversation,
            starts_at=now - timezone.timedelta(days=1),
            ends_at=now + timezone.timedelta(days=1),
        )
        rows_statements = Statement.objects.bulk_create(
            Statement(conversation=conversation, text=f"Proposition {n}") for n in range(STATEMENTS)
        )
        StatementVote.objects.bulk_create(
            (
                StatementVote(
                    statement=rows_statements[s], conversation=conversation, participant=users[p], value=int(v)
                )
                for p, s, v in zip(people, statements, values, strict=True)
            ),
            batch_size=10_000,
        )
        task_times = []
        for _run in range(runs):
            started = time.perf_counter()
            grouping_compute(conversation=conversation)
            task_times.append(time.perf_counter() - started)
        rows.append(
            (
                density,
                int(len(values)),
                len(result.participants),
                result.k,
                result.silhouette,
                statistics.median(math_times),
                statistics.median(task_times),
            )
        )
        print(f"  grouping at {density:.0%}: k={result.k}", file=sys.stderr, flush=True)
        del matrix
        np.random.default_rng()
    return rows


def bench_results(sizes: list[int], repeat: int) -> list[tuple]:
    import random

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from consultations.models import (
        Answer,
        Option,
        PhaseKind,
        Question,
        QuestionKind,
        Questionnaire,
        QuestionnairePhase,
        Response,
        Section,
        TextAnswer,
    )

    questionnaire = Questionnaire.objects.create(
        slug="bench-resultats", title="Bench", published=True, results_visibility="always"
    )
    now = timezone.now()
    QuestionnairePhase.objects.create(
        questionnaire=questionnaire,
        kind=PhaseKind.ANSWER,
        starts_at=now - timezone.timedelta(days=1),
        ends_at=now + timezone.timedelta(days=1),
    )
    section = Section.objects.create(questionnaire=questionnaire, title="Section")
    questions = {}
    for order, kind in enumerate(QuestionKind.values):
        question = Question.objects.create(section=section, kind=kind, text=f"Question {kind}", sort_order=order)
        if kind != QuestionKind.TEXT and kind != QuestionKind.SCALE:
            for n in range(5 if kind != QuestionKind.MATRIX else 3):
                Option.objects.create(question=question, text=f"Option {n}", sort_order=n)
        if kind == QuestionKind.MATRIX:
            for n in range(3):
                Option.objects.create(question=question, text=f"Ligne {n}", is_row=True, sort_order=n)
        questions[kind] = (
            question,
            list(question.options.filter(is_row=False)),
            list(question.options.filter(is_row=True)),
        )
    draw = random.Random(4)  # noqa: S311 - benchmark data
    client = Client()
    url = reverse("consultations:questionnaire_results", args=[questionnaire.slug])
    rows = []
    for size in sorted(sizes):
        have = Response.objects.filter(questionnaire=questionnaire).count()
        responses = Response.objects.bulk_create(
            Response(questionnaire=questionnaire, anonymous_key=f"k{n}") for n in range(have, size)
        )
        answers, texts = [], []
        for response in responses:
            question, columns, _rows = questions[QuestionKind.SINGLE]
            answers.append(Answer(response=response, question=question, option=draw.choice(columns)))
            question, columns, _rows = questions[QuestionKind.MULTIPLE]
            answers += [Answer(response=response, question=question, option=o) for o in draw.sample(columns, 2)]
            question, columns, _rows = questions[QuestionKind.RANKING]
            answers += [
                Answer(response=response, question=question, option=o, value=rank)
                for rank, o in enumerate(draw.sample(columns, 3), start=1)
            ]
            question, _columns, _rows = questions[QuestionKind.SCALE]
            answers.append(Answer(response=response, question=question, value=draw.randint(1, 5)))
            question, columns, matrix_rows = questions[QuestionKind.MATRIX]
            answers += [
                Answer(response=response, question=question, row=r, option=draw.choice(columns)) for r in matrix_rows
            ]
            question, _columns, _rows = questions[QuestionKind.TEXT]
            texts.append(TextAnswer(response=response, question=question, text="Une idée", approved_at=now))
        Answer.objects.bulk_create(answers, batch_size=10_000)
        TextAnswer.objects.bulk_create(texts, batch_size=10_000)
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        queries = len(captured)
        times = []
        for _run in range(repeat):
            started = time.process_time()
            client.get(url)
            times.append(time.process_time() - started)
        rows.append((size, queries, statistics.median(times) * 1000))
        print(f"  results with {size} responses: {queries} queries", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="civicplatform.settings.test", DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL
    )
    sys.path.insert(0, str(ROOT))
    print("Preparing the bench_consultations database...", file=sys.stderr, flush=True)
    prepare_database()
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    grouping = bench_grouping(args.runs)
    results = bench_results(args.sizes, args.repeat)
    print(f"load average {os.getloadavg()[0]:.1f}\n")
    print("| cells voted | votes | participants grouped | groups | silhouette | mathematics s | whole task s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for density, votes, grouped, k, score, math_s, task_s in grouping:
        print(f"| {density:.0%} | {votes} | {grouped} | {k} | {score:.2f} | {math_s:.2f} | {task_s:.2f} |")
    print("\n| responses | queries | CPU ms per page (median) |")
    print("| ---: | ---: | ---: |")
    for size, queries, cpu in results:
        print(f"| {size} | {queries} | {cpu:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
