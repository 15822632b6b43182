"""The project list of a budget process with 24, 100 and 500 projects: queries and render time.

    python -m bench.budget_list                 # 24, 100, 500 projects
    python -m bench.budget_list --sizes 24 500 2000 --repeat 30

A dedicated `bench_budget_list` PostgreSQL database is recreated and migrated (test
settings, Redis database 14). A process in its shortlist phase gets N feasible projects
(with a category, a district and a location each, so that every column the list shows is
filled), a verified resident is logged in, and the Django test client fetches the first
page, the last page and a filtered page, each `--repeat` times after one warm-up. Printed
per size: the number of queries of each page (it must not grow with N) and the median CPU
time of a page (time.process_time, which the load of a shared machine disturbs less than
wall time). Results go to docs/BENCHMARKS.md, "Budget project list".
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_budget_list"
REDIS_URL = "redis://127.0.0.1:6379/14"


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_budget_list WITH (FORCE)")
        conn.execute("CREATE DATABASE bench_budget_list")
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        env=os.environ,
        cwd=ROOT,
        check=True,
        timeout=900,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[24, 100, 500])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="civicplatform.settings.test", DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL
    )
    os.environ.pop("CI", None)
    sys.path.insert(0, str(ROOT))
    print("Preparing the bench_budget_list database...", file=sys.stderr, flush=True)
    prepare_database()

    import django

    django.setup()
    import datetime
    from decimal import Decimal

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from budgets.models import Budget, BudgetPhase, BudgetProcess, Category, PhaseKind, Project, ProjectStatus
    from civicplatform.accounts.models import User, VerificationLevel
    from civicplatform.territory import demo as territory_demo
    from civicplatform.territory.models import District

    setup_test_environment()
    now = timezone.now()
    process = BudgetProcess.objects.create(
        slug="bench-liste", title="Bench", min_verification_level=VerificationLevel.RESIDENT
    )
    for kind, start, end in ((PhaseKind.SUBMISSION, -30, -10), (PhaseKind.SHORTLIST, -1, 5)):
        BudgetPhase.objects.create(
            process=process,
            kind=kind,
            starts_at=now + datetime.timedelta(days=start),
            ends_at=now + datetime.timedelta(days=end),
        )
    territory_demo.load_demo(io.StringIO())
    district = District.objects.order_by("name").first()
    budget = Budget.objects.create(process=process, slug="ville", name="Ville", amount=10_000_000)
    category = Category.objects.create(process=process, name="Nature", slug="nature")
    resident = User.objects.create(
        email="bench@bench.example",
        pseudonym="Bench",
        verification_level=VerificationLevel.RESIDENT,
        district=district,
        password="!",  # noqa: S106 - unusable password
    )
    client = Client()
    client.force_login(resident)
    url = reverse("budgets:projects", args=[process.slug])
    rows = []
    for size in sorted(args.sizes):
        have = Project.objects.filter(process=process).count()
        Project.objects.bulk_create(
            Project(
                process=process,
                budget=budget,
                title=f"Projet {number:05d}",
                summary="Planter des arbres et installer un banc.",
                cost=10_000 + 100 * number,
                status=ProjectStatus.FEASIBLE,
                category=category,
                district=district,
                latitude=Decimal("47.9") + Decimal(number % 100) / 1000,
                longitude=Decimal("1.9"),
                author=resident,
            )
            for number in range(have, size)
        )
        last = (size + 23) // 24
        pages = {"first page": {}, "last page": {"page": last}, "filtered": {"category": category.slug}}
        for name, query in pages.items():
            assert client.get(url, query).status_code == 200
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, query)
            assert response.status_code == 200, response.status_code
            queries = len(captured)  # now: the capture reads the connection's log, which the next request resets
            times = []
            for _ in range(args.repeat):
                started = time.process_time()
                client.get(url, query)
                times.append(time.process_time() - started)
            rows.append((size, name, queries, statistics.median(times) * 1000))
            print(f"  {size} projects, {name}: {queries} queries", file=sys.stderr, flush=True)

    print(f"load average {os.getloadavg()[0]:.1f}\n")
    print("| projects | page | queries | CPU ms per page (median) |")
    print("| ---: | --- | ---: | ---: |")
    for size, name, queries, ms in rows:
        print(f"| {size} | {name} | {queries} | {ms:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
