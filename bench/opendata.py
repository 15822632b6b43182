"""Open data at municipal scale: the dashboard computation, the dashboard page, a download, the API.

    python -m bench.opendata                      # 10 000 and 50 000 signatures
    python -m bench.opendata --sizes 10000 100000 --repeat 5

A dedicated `bench_opendata` PostgreSQL database is recreated and migrated (test settings,
Redis database 13). The demo territory (5 districts) gets one petition with N counted
signatures spread over its districts and 90 days, half of them from N/2 accounts, and N/10
forum comments. Measured per size, median of `--repeat` runs: the Celery task that fills
the dashboard tables (wall time), the public dashboard page (queries, CPU ms), the
signatures-by-day CSV uncached (CPU ms) and the API's petitions list (CPU ms). Results go
to docs/BENCHMARKS.md, "Open data".
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
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_opendata"
REDIS_URL = "redis://127.0.0.1:6379/13"


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_opendata WITH (FORCE)")
        conn.execute("CREATE DATABASE bench_opendata")
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        env=os.environ,
        cwd=ROOT,
        check=True,
        timeout=900,
    )


def cpu_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="civicplatform.settings.test", DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL
    )
    os.environ.pop("CI", None)
    sys.path.insert(0, str(ROOT))
    print("Preparing the bench_opendata database...", file=sys.stderr, flush=True)
    prepare_database()

    import django

    django.setup()
    import datetime

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from civicplatform.accounts.models import User
    from civicplatform.territory import demo as territory_demo
    from civicplatform.territory.models import District, Municipality
    from forums.models import Comment, Forum, Thread
    from opendata.services import impact_compute
    from petitions.models import Petition, PetitionStatus, Signature, SignatureState

    setup_test_environment()
    settings.OPENDATA_CACHE_SECONDS = 0
    settings.OPENDATA_API_RATE = "1000000/m"
    territory_demo.load_demo(io.StringIO())
    municipality = Municipality.objects.first()
    districts = list(District.objects.order_by("pk"))
    now = timezone.now()
    petition = Petition.objects.create(
        municipality=municipality,
        slug="bench-petition",
        title="Bench",
        status=PetitionStatus.OPEN,
        published_at=now - datetime.timedelta(days=90),
    )
    thread = Thread.objects.create(forum=Forum.objects.create(slug="bench", title="Bench"), slug="t", title="T")
    client = Client()
    rows = []
    for size in sorted(args.sizes):
        have = Signature.objects.filter(petition=petition).count()
        users = User.objects.bulk_create(
            User(
                email=f"bench{n}@bench.example",
                district=districts[n % len(districts)],
                birth_year=1940 + n % 60,
                password="!",  # noqa: S106 - unusable password
            )
            for n in range(have // 2, size // 2)
        )
        Signature.objects.bulk_create(
            Signature(
                petition=petition,
                state=SignatureState.VALIDATED,
                user=users[(n - have) // 2] if n % 2 == 0 and (n - have) // 2 < len(users) else None,
                email_canonical=f"s{n}@bench.example",
                district=districts[n % len(districts)],
                created_at=now - datetime.timedelta(days=n % 90),
            )
            for n in range(have, size)
        )
        Comment.objects.bulk_create(
            Comment(target=thread, author=users[n % len(users)], source="x", body="<p>x</p>")
            for n in range(have // 10, size // 10)
        )
        started = time.perf_counter()
        impact_compute()
        compute_s = time.perf_counter() - started
        assert client.get("/open-data/impact/").status_code == 200
        with CaptureQueriesContext(connection) as captured:
            client.get("/open-data/impact/")
        queries = len(captured)
        page = cpu_ms(lambda: client.get("/open-data/impact/"), args.repeat)
        download = cpu_ms(lambda: client.get("/open-data/jeux/petitions-signatures-by-day.csv"), args.repeat)
        api = cpu_ms(lambda: client.get("/api/v1/petitions"), args.repeat)
        rows.append((size, compute_s, queries, page, download, api))
        print(f"  {size} signatures done", file=sys.stderr, flush=True)

    print(f"load average {os.getloadavg()[0]:.1f}\n")
    print(
        "| signatures | impact task (s, wall) | dashboard queries | dashboard CPU ms | by-day CSV CPU ms | API CPU ms |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, compute_s, queries, page, download, api in rows:
        print(f"| {size:,} | {compute_s:.2f} | {queries} | {page:.1f} | {download:.1f} | {api:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
