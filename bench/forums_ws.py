"""Live thread fan-out: many websocket viewers on one thread, one post, how long until every
viewer has it. Then a thread page with 1,000 posts: paginated, constant query count.

    python -m bench.forums_ws                       # 2,000 viewers, 20 posts, 1 uvicorn worker
    python -m bench.forums_ws --viewers 500 --posts 10 --workers 2

Production shape (docker-compose.yml, service `ws`): uvicorn with uvloop and httptools,
the production settings, PostgreSQL (a dedicated `bench_forums` database, recreated and
migrated here) and Redis (database 14, flushed) as the channel layer. The viewers are
real websocket clients (the `websockets` library) in this process; each post goes
through the write path a request takes (forums.services.comment_create: insert, thread
event, commit, then the on-commit broadcast renders the fragments and sends them to the
thread's groups). A post's clock starts before the service is called and stops, per
viewer, when that viewer's socket delivers the event: one process, one clock.

Nothing listens beyond loopback; the server is stopped before the script returns, also on
error or Ctrl-C. Results are printed as Markdown (for docs/BENCHMARKS.md) and written as
JSON under var/bench/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import serving
from bench.serving import BIN, HOST, ROOT, _cpu_model, free_port, prioritise, session_cpu_seconds, stop

ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_NAME = "bench_forums"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/14"
START_TIMEOUT = 60.0
# How long a post may take to reach every viewer before the missing ones count as lost.
DELIVERY_TIMEOUT = 15.0
_SEQ = re.compile(rb'"seq": ?(\d+)')


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (the value below which `fraction` of the values fall)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class FanOut:
    layer: str
    viewers: int
    workers: int
    posts: int
    connect_seconds: float
    delivery_p50_ms: float
    delivery_p95_ms: float
    delivery_p99_ms: float
    # Per post, when the last viewer had it; then the median and 95th percentile over posts.
    all_viewers_p50_ms: float
    all_viewers_p95_ms: float
    all_viewers_max_ms: float
    lost: int
    server_cpu_ms_per_post: float
    load_before: float
    command: str


@dataclass
class PageCost:
    posts: int
    queries_page_1: int
    queries_last_page: int
    queries_10_posts: int
    render_p50_ms: float
    http_p50_ms: float
    comments_on_page: int


@dataclass
class Report:
    date: str
    machine: dict
    options: dict
    fan_out: list[FanOut] = field(default_factory=list)
    page: PageCost | None = None


# "pubsub" is what production uses with Redis (civicplatform/settings/base.py, forums block).
SETTINGS = {"pubsub": "civicplatform.settings.production", "core": "bench.forums_settings"}


def bench_env(var_dir: Path, layer: str = "pubsub") -> dict[str, str]:
    return serving.bench_env(
        var_dir,
        settings=SETTINGS[layer],
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        # The bench posts faster than a person may.
        FORUMS_COMMENTS_PER_MINUTE="100000",
    )


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE_NAME}")


def flush_redis() -> None:
    """Database 14 is this benchmark's own. Flushed every run: the default layer keeps group
    members in Redis for a day, and a previous run's dead viewers would still get messages."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def setup_django(env: dict[str, str], *, migrate: bool = True) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    if migrate:
        call_command("migrate", "--noinput", verbosity=0)
    # The production settings serve hashed static files from a manifest.
    call_command("collectstatic", "--noinput", verbosity=0)


def create_threads() -> dict:
    """A public forum with an empty thread (the live one) and a thread of 1,000 posts
    (found again when the database is reused)."""
    from civicplatform.accounts.models import User, VerificationLevel
    from forums.models import Comment, Forum, Thread
    from forums.text import render_comment_text

    existing = {thread.slug: thread for thread in Thread.objects.filter(forum__slug="bench").select_related("forum")}
    if existing:
        return {**existing, "poster": User.objects.get(email="poster@bench.example")}

    forum = Forum.objects.create(slug="bench", title="Bench")
    poster = User.objects.create(email="poster@bench.example", pseudonym="Poster", verification_level=2)
    authors = [
        User.objects.create(email=f"author{n}@bench.example", pseudonym=f"Author {n}", verification_level=2)
        for n in range(20)
    ]
    assert poster.verification_level >= VerificationLevel.EMAIL
    live = Thread.objects.create(forum=forum, slug="live", title="Live thread", author=poster)
    big = Thread.objects.create(forum=forum, slug="big", title="A thousand posts", author=poster)
    small = Thread.objects.create(forum=forum, slug="small", title="Ten posts", author=poster)
    for thread, count in ((big, 1000), (small, 10)):
        rows = []
        for index in range(count):
            text = f"Post number {index}: the square needs more trees, and benches in the shade."
            rows.append(Comment(target=thread, author=authors[index % 20], source=text, body=render_comment_text(text)))
        Comment.objects.bulk_create(rows)
        # A reply under every tenth post, so the page carries reply trees too.
        parents = list(Comment.objects.for_target(thread).order_by("pk")[::10])
        Comment.objects.bulk_create(
            Comment(target=thread, parent=p, root=p, depth=1, author=poster, source="Agreed.", body="<p>Agreed.</p>")
            for p in parents
        )
    return {"live": live, "big": big, "small": small, "poster": poster}


def start_server(
    env: dict[str, str],
    workers: int,
    log: Path,
    extra: list[str] | None = None,
    *,
    priority: bool = False,
    conn_max_age: int = 0,
) -> tuple[subprocess.Popen, int, str]:
    port = free_port()
    argv = [
        str(BIN / "uvicorn"),
        "civicplatform.asgi:application",
        "--host",
        HOST,
        "--port",
        str(port),
        "--http",
        "httptools",
        "--loop",
        "uvloop",
        "--workers",
        str(workers),
        "--no-access-log",
        "--backlog",
        "4096",
        *(extra or []),
    ]
    # As the `ws` service runs (docker-compose.yml): under ASGI persistent connections pile up.
    env = {**env, "DJANGO_DB_CONN_MAX_AGE": str(conn_max_age)}
    process = subprocess.Popen(  # noqa: S603 - fixed argv, loopback only
        argv, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )
    command = " ".join([Path(argv[0]).name, *argv[1:]]).replace(str(port), "$PORT")
    if priority:
        prioritise(process.pid)
    deadline = time.monotonic() + START_TIMEOUT
    request = urllib.request.Request(f"http://{HOST}:{port}/healthz", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {process.returncode}; see {log}")
            try:
                with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - loopback
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not answer within {START_TIMEOUT:.0f} s; see {log}") from None
                time.sleep(0.3)
    except BaseException:
        stop(process)
        raise
    return process, port, command


class Viewers:
    """N websocket clients following one thread; each notes when it receives each event."""

    def __init__(self, url: str, origin: str, count: int) -> None:
        self.url, self.origin, self.count = url, origin, count
        self.sockets: list = []
        self.received: dict[int, list[float]] = {}
        self.tasks: list[asyncio.Task] = []

    async def connect(self) -> float:
        from websockets.asyncio.client import connect

        started = time.perf_counter()
        for first in range(0, self.count, 100):
            batch = [
                connect(self.url, origin=self.origin, open_timeout=60, ping_interval=None, max_queue=None)
                for _ in range(min(100, self.count - first))
            ]
            self.sockets.extend(await asyncio.gather(*batch))
        self.tasks = [asyncio.create_task(self._listen(sock)) for sock in self.sockets]
        return time.perf_counter() - started

    async def _listen(self, sock) -> None:
        async for message in sock:
            now = time.perf_counter()
            match = _SEQ.search(message.encode() if isinstance(message, str) else message)
            if match:
                self.received.setdefault(int(match.group(1)), []).append(now)

    async def wait_for(self, seq: int, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while len(self.received.get(seq, [])) < self.count and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(sock.close() for sock in self.sockets), return_exceptions=True)


def post_comment(thread, author, number: int) -> int:
    """One post through the service, committed, broadcast on commit; returns its event number."""
    from django.db import close_old_connections

    from forums.services import comment_create

    close_old_connections()
    comment_create(author=author, target=thread, text=f"Live post {number}: see you at the market on Saturday.")
    return thread.last_event_seq


async def fan_out(
    port: int, server: subprocess.Popen, threads: dict, viewers: int, posts: int, workers: int, command: str, layer: str
) -> FanOut:
    url = f"ws://{HOST}:{port}/ws/forums/fils/{threads['live'].public_id}/?lang=fr"
    crowd = Viewers(url, f"http://{HOST}:{port}", viewers)
    load_before = round(os.getloadavg()[0], 2)
    connect_seconds = await crowd.connect()
    loop = asyncio.get_running_loop()
    # One post first, not measured: template loading, translations and connections warm up on both sides.
    warm_up = await loop.run_in_executor(None, post_comment, threads["live"], threads["poster"], -1)
    await crowd.wait_for(warm_up, DELIVERY_TIMEOUT)
    await asyncio.sleep(1.0)  # let the server settle after the connection storm
    deliveries: list[float] = []
    all_viewers: list[float] = []
    lost = 0
    cpu_before = session_cpu_seconds(server.pid)
    try:
        for number in range(posts):
            started = time.perf_counter()
            seq = await loop.run_in_executor(None, post_comment, threads["live"], threads["poster"], number)
            await crowd.wait_for(seq, DELIVERY_TIMEOUT)
            times = [(at - started) * 1000 for at in crowd.received.get(seq, [])]
            lost += viewers - len(times)
            deliveries.extend(times)
            if times:
                all_viewers.append(max(times))
            print(
                f"  post {number + 1:2}/{posts}: {len(times)}/{viewers} viewers, "
                f"p50 {percentile(times, 0.5):6.1f} ms, last {max(times, default=float('nan')):6.1f} ms",
                flush=True,
            )
            await asyncio.sleep(0.5)
        cpu = session_cpu_seconds(server.pid) - cpu_before
    finally:
        await crowd.close()
    return FanOut(
        layer=layer,
        viewers=viewers,
        workers=workers,
        posts=posts,
        connect_seconds=round(connect_seconds, 2),
        delivery_p50_ms=round(percentile(deliveries, 0.5), 1),
        delivery_p95_ms=round(percentile(deliveries, 0.95), 1),
        delivery_p99_ms=round(percentile(deliveries, 0.99), 1),
        all_viewers_p50_ms=round(percentile(all_viewers, 0.5), 1),
        all_viewers_p95_ms=round(percentile(all_viewers, 0.95), 1),
        all_viewers_max_ms=round(max(all_viewers, default=float("nan")), 1),
        lost=lost,
        # Includes the 0.5 s pauses' idle cost (negligible) and the listeners' pings (none).
        server_cpu_ms_per_post=round(1000 * cpu / posts, 1),
        load_before=load_before,
        command=command,
    )


def page_cost(threads: dict, port: int) -> PageCost:
    """Queries and time of the thread page: page 1 and the last page of 1,000 posts, and 10 posts."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)

    def queries(url: str) -> tuple[int, str]:
        client.get(url, secure=True)  # warm the site chrome's caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)
        return len(captured), response.content.decode()

    big = threads["big"].get_absolute_url()
    first, html = queries(big)
    last, _html = queries(big + "?page_commentaires=50")
    small, _html = queries(threads["small"].get_absolute_url())
    renders = []
    for _ in range(20):
        started = time.perf_counter()
        client.get(big, secure=True)
        renders.append((time.perf_counter() - started) * 1000)
    request = urllib.request.Request(f"http://{HOST}:{port}{big}", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    http = []
    for _ in range(20):
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            response.read()
        http.append((time.perf_counter() - started) * 1000)
    return PageCost(
        posts=1000,
        queries_page_1=first,
        queries_last_page=last,
        queries_10_posts=small,
        render_p50_ms=round(statistics.median(renders), 1),
        http_p50_ms=round(statistics.median(http), 1),
        comments_on_page=len(re.findall(r'<li class="comment comment--depth-0"', html)),
    )


def markdown(report: Report) -> str:
    lines = [
        "| layer | viewers | uvicorn workers | posts | each viewer p50 | each viewer p95 | each viewer p99 "
        "| all viewers p50 | all viewers p95 | all viewers max | lost | server CPU / post | load before |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report.fan_out:
        cells = [
            r.layer,
            f"{r.viewers:,}",
            str(r.workers),
            str(r.posts),
            *(
                f"{value:.0f} ms"
                for value in (
                    r.delivery_p50_ms,
                    r.delivery_p95_ms,
                    r.delivery_p99_ms,
                    r.all_viewers_p50_ms,
                    r.all_viewers_p95_ms,
                    r.all_viewers_max_ms,
                )
            ),
            str(r.lost),
            f"{r.server_cpu_ms_per_post:.0f} ms",
            f"{r.load_before:.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if report.page is not None:
        p = report.page
        lines += [
            "",
            "| thread page | queries | comments shown |",
            "| --- | ---: | ---: |",
            f"| 10 posts | {p.queries_10_posts} | 10 |",
            f"| 1,000 posts, page 1 | {p.queries_page_1} | {p.comments_on_page} |",
            f"| 1,000 posts, page 50 | {p.queries_last_page} | 20 |",
            "",
            f"Page 1 of 1,000 posts: {p.render_p50_ms:.0f} ms median in-process, "
            f"{p.http_p50_ms:.0f} ms median over HTTP (uvicorn).",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, nargs="+", default=[2000], help="one run per number of viewers")
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (compose: WS_CONCURRENCY)")
    parser.add_argument("--layer", choices=list(SETTINGS), default="pubsub", help="Redis channel layer")
    parser.add_argument(
        "--priority",
        action="store_true",
        help="on a shared machine, give the server and the viewers a larger CPU share (Linux, root)",
    )
    parser.add_argument(
        "--uvicorn-arg", action="append", default=[], help="extra uvicorn option, e.g. --uvicorn-arg=--ws=wsproto"
    )
    parser.add_argument(
        "--db-conn-max-age",
        type=int,
        default=0,
        help="DJANGO_DB_CONN_MAX_AGE of the server (the ws service runs with 0)",
    )
    parser.add_argument(
        "--reuse-database", action="store_true", help=f"keep {DATABASE_NAME} from a previous run (skips migrations)"
    )
    args = parser.parse_args(argv)
    if not all(1 <= n <= 10000 for n in args.viewers) or not 1 <= args.posts <= 200:
        parser.error("--viewers must be between 1 and 10000, --posts between 1 and 200")

    if args.priority:
        prioritise()  # the viewers and the poster run in this session
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H%M%SZ")
    report = Report(
        date=stamp,
        machine={
            "cpus": os.cpu_count(),
            "processor": _cpu_model(),
            "python": platform.python_version(),
            "kernel": platform.release(),
        },
        options={
            "priority": args.priority,
            "uvicorn_args": args.uvicorn_arg,
            "layer": args.layer,
            "db_conn_max_age": args.db_conn_max_age,
        },
    )
    with tempfile.TemporaryDirectory(prefix="bench-forums-") as tmp:
        env = bench_env(Path(tmp), args.layer)
        if not args.reuse_database:
            print(f"Preparing the {DATABASE_NAME} database (migrations, 1,000-post thread)...", flush=True)
            prepare_database()
        flush_redis()
        setup_django(env, migrate=not args.reuse_database)
        threads = create_threads()
        log = out_dir / "forums-ws-server.log"
        log.write_text("")
        server, port, command = start_server(
            env, args.workers, log, args.uvicorn_arg, priority=args.priority, conn_max_age=args.db_conn_max_age
        )
        try:
            for viewers in args.viewers:
                print(f"{viewers} viewers, {args.workers} worker(s):", flush=True)
                report.fan_out.append(
                    asyncio.run(fan_out(port, server, threads, viewers, args.posts, args.workers, command, args.layer))
                )
            report.page = page_cost(threads, port)
        finally:
            stop(server)

    (out_dir / f"forums-ws-{stamp}.json").write_text(json.dumps(asdict(report), indent=2))
    print()
    print(markdown(report))
    print(f"\nJSON: var/bench/forums-ws-{stamp}.json")
    return 1 if any(r.lost for r in report.fan_out) else 0


if __name__ == "__main__":
    sys.exit(main())
