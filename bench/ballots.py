"""Ballot casting throughput over HTTP, with PostgreSQL, and a check that no ballot is lost or doubled.

    python -m bench.ballots                          # every server, 10 s each
    python -m bench.ballots --duration 5 --servers gunicorn-gthread --priority

For each server a fresh budget is opened in a dedicated `bench_ballots` database
(recreated and migrated here; Redis database 14). Voters are created in bulk, each with a
logged-in session and a CSRF token written straight to the session table (no login
round-trips), then the server is started on 127.0.0.1 with the production settings and
`wrk` POSTs one knapsack ballot per voter (a Lua script gives every request the next
voter's cookies). Afterwards the database must hold exactly one ledger row, one ballot
and one audit row per voter who voted, and at least as many ballots as 302 answers
(requests still in flight when wrk stops may commit after it has stopped counting).
Results are printed as a Markdown table (docs/BENCHMARKS.md, "Budget ballots") and
written as JSON under var/bench/.

Needs `wrk` (Debian: `apt-get install wrk`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import serving
from bench.serving import BIN, HOST, _cpu_model, free_port, parse_wrk, prioritise, session_cpu_seconds, stop

ROOT = Path(__file__).resolve().parent.parent
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_ballots"
REDIS_URL = "redis://127.0.0.1:6379/14"
PROCESS_SLUG = "bench-vote"
START_TIMEOUT = 40.0
# Voters kept aside to warm the workers up (GET of the ballot) and to check one POST.
WARM_VOTERS = 40

SERVERS: dict[str, list[str]] = {
    "gunicorn-sync": ["gunicorn", "--workers", "{workers}", "--bind", "{bind}", "civicplatform.wsgi:application"],
    "gunicorn-gthread": [
        "gunicorn",
        "--workers",
        "{workers}",
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--bind",
        "{bind}",
        "civicplatform.wsgi:application",
    ],
}

LUA = r"""
-- One vote per voter: request n carries voter n's session and CSRF cookies.
local voters = {}
local next_voter = 0
local body = nil
local path = nil
local origin = nil

init = function(args)
  path, origin, body = args[1], args[2], args[3]
  for line in io.lines(args[4]) do
    local session, csrf = line:match("^(%S+) (%S+)$")
    voters[#voters + 1] = {session, csrf}
  end
end

request = function()
  next_voter = next_voter + 1
  -- Past the last voter the list starts again: those are second votes, answered 409.
  local voter = voters[((next_voter - 1) % #voters) + 1]
  local headers = {
    ["Cookie"] = "sessionid=" .. voter[1] .. "; csrftoken=" .. voter[2],
    ["X-CSRFToken"] = voter[2],
    ["Origin"] = origin,
    ["X-Forwarded-Proto"] = "https",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format("POST", path, headers, body)
end
"""


@dataclass
class Result:
    server: str
    command: str
    voters: int
    requests_per_second: float
    votes_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    cpu_ms_per_request: float
    ledger_rows: int
    ballots: int
    distinct_voters: int
    audit_rows: int
    consistent: bool
    load_before: float


def bench_env(var_dir: Path) -> dict[str, str]:
    return serving.bench_env(
        var_dir,
        # BENCH_SETTINGS: another settings module to compare with (e.g. one changing one setting).
        settings=os.environ.get("BENCH_SETTINGS", "civicplatform.settings.production"),
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
    )


def prepare_database(env: dict[str, str]) -> None:
    import psycopg
    import redis

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_ballots WITH (FORCE)")
        conn.execute("CREATE DATABASE bench_ballots")
    redis.Redis.from_url(REDIS_URL).flushdb()  # database 14 is this benchmark's own
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*manage, *args], env=env, cwd=ROOT, check=True, timeout=600, stdout=subprocess.DEVNULL)


def django_step(env: dict[str, str], *args: str) -> dict:
    """Run a step that needs Django (in a child process with the bench settings); return its JSON."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.ballots", "--step", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- steps run inside Django


def _setup_django() -> None:
    import django

    django.setup()


def step_create(budget_slug: str, voters: int, out: str) -> dict:
    """Open a budget in the bench process and create `voters` logged-in voters for it."""
    _setup_django()
    import datetime

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from budgets.models import BallotType, Budget, BudgetPhase, BudgetProcess, PhaseKind, Project, ProjectStatus
    from budgets.models import VotingScope as Scope
    from civicplatform.accounts.models import User, VerificationLevel

    now = timezone.now()
    with transaction.atomic():
        process, created = BudgetProcess.objects.get_or_create(
            slug=PROCESS_SLUG,
            defaults={
                "title": "Bench",
                "voting_scope": Scope.ALL,
                "ballot_type": BallotType.KNAPSACK,
                "min_verification_level": VerificationLevel.RESIDENT,
            },
        )
        if created:
            BudgetPhase.objects.create(
                process=process,
                kind=PhaseKind.VOTING,
                starts_at=now - datetime.timedelta(days=1),
                ends_at=now + datetime.timedelta(days=1),
            )
        budget = Budget.objects.create(process=process, slug=budget_slug, name=budget_slug, amount=100000)
        projects = Project.objects.bulk_create(
            Project(process=process, budget=budget, title=f"Projet {n}", cost=10000 * n, status=ProjectStatus.FEASIBLE)
            for n in range(1, 7)
        )
    stamp = get_random_string(6).lower()
    users = [
        User(
            email=f"voter-{stamp}-{n}@bench.example",
            pseudonym=f"V{stamp}{n}",
            verification_level=VerificationLevel.RESIDENT,
            password="!",  # noqa: S106 - an unusable password: these accounts only exist for this run
        )
        for n in range(voters)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    users = list(User.objects.filter(email__startswith=f"voter-{stamp}-").order_by("pk"))
    store = SessionStore()
    expires = now + datetime.timedelta(days=1)
    backend = "django.contrib.auth.backends.ModelBackend"
    lines = []
    sessions = []
    cached = {}
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: user.get_session_auth_hash()}
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        cached[key] = data
        lines.append(f"{key} {get_random_string(32)}")
    Session.objects.bulk_create(sessions, batch_size=5000)
    _sessions_cache(cached)
    Path(out).write_text("\n".join(lines) + "\n")
    chosen = "&".join(f"projects={project.public_id}" for project in projects[:3])  # 60 000 € of 100 000 €
    return {"body": f"{chosen}&action=cast", "path": f"/budgets/{PROCESS_SLUG}/vote/{budget_slug}/"}


def _sessions_cache(sessions: dict[str, dict]) -> None:
    """With cached_db sessions, put them in the cache too, as a login does (SessionStore.save writes both)."""
    from importlib import import_module

    from django.conf import settings
    from django.core.cache import caches

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    prefix = getattr(store_class, "cache_key_prefix", None)
    if prefix is None:
        return
    cache = caches[settings.SESSION_CACHE_ALIAS]
    items = list(sessions.items())
    for start in range(0, len(items), 5000):
        cache.set_many({prefix + key: data for key, data in items[start : start + 5000]}, timeout=24 * 3600)


def step_count(budget_slug: str) -> dict:
    """What the database holds for the budget: the figures the check compares."""
    _setup_django()
    from django.contrib.contenttypes.models import ContentType

    from budgets.models import Budget
    from civicplatform.ballots.models import ParticipationLedger, SecretBallot
    from civicplatform.core.models import AuditEvent

    budget = Budget.objects.get(process__slug=PROCESS_SLUG, slug=budget_slug)
    reference = {"election_type": ContentType.objects.get_for_model(Budget), "election_id": budget.pk}
    ledger = ParticipationLedger.objects.filter(**reference)
    return {
        "ledger_rows": ledger.count(),
        "distinct_voters": ledger.values("voter").distinct().count(),
        "ballots": SecretBallot.objects.filter(**reference).count(),
        "audit_rows": AuditEvent.objects.filter(
            action="ballots.cast", target_type=reference["election_type"], target_id=str(budget.pk)
        ).count(),
    }


# ---------------------------------------------------------------- driving the server


def start(name: str, env: dict[str, str], workers: int, log: Path, *, priority: bool) -> tuple:
    port = free_port()
    argv = [part.format(bind=f"{HOST}:{port}", workers=workers) for part in SERVERS[name]]
    argv[0] = str(BIN / argv[0])
    process = subprocess.Popen(  # noqa: S603 - fixed argv, loopback only
        argv, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )
    command = " ".join([Path(argv[0]).name, *argv[1:]]).replace(str(port), "$PORT")
    if priority:
        prioritise(process.pid)
    return process, port, command


def _request(url: str, cookies: str, *, origin: str, data: bytes | None = None) -> int:
    session, csrf = cookies.split()
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "X-Forwarded-Proto": "https",
        "Origin": origin,
    }
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=data, headers=headers), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def warm_up(process, port: int, path: str, body: str, warm: list[str], log: Path) -> None:
    """Wait for the server, load every worker with GETs of the ballot, and check that one POST votes."""
    url = f"http://{HOST}:{port}{path}"
    origin = f"https://{HOST}:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}; see {log}")
        try:
            status = _request(url, warm[0], origin=origin)
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within {START_TIMEOUT:.0f} s; see {log}") from None
            time.sleep(0.3)
    if status != 200:
        raise RuntimeError(f"the ballot page answered {status}; see {log}")
    for cookies in warm[1:-1]:
        _request(url, cookies, origin=origin)
    status = _request(url, warm[-1], origin=origin, data=body.encode())
    if status != 302:
        raise RuntimeError(f"a vote answered {status} instead of 302; see {log}")


def load(port: int, path: str, body: str, voters_file: Path, script: Path, duration: int, connections: int) -> dict:
    argv = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "--script",
        str(script),
        f"http://{HOST}:{port}{path}",
        "--",
        path,
        f"https://{HOST}:{port}",
        body,
        str(voters_file),
    ]
    completed = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=True)
    return parse_wrk(completed.stdout)


def markdown(results: list[Result]) -> str:
    lines = [
        "| server | votes/s | p50 (ms) | p99 (ms) | server CPU ms/vote | refused | ledger = ballots = voters = audit "
        "| ballots ≥ 302s | load before |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ]
    for r in results:
        same = r.ledger_rows == r.ballots == r.distinct_voters == r.audit_rows
        lines.append(
            f"| {r.server} | {r.votes_per_second:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.cpu_ms_per_request:.2f} | {r.non_2xx + r.socket_errors} | "
            f"{'yes' if same else 'NO'} ({r.ballots:,}) | {'yes' if r.consistent else 'NO'} | {r.load_before:.2f} |"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    if args.priority:
        prioritise()
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-ballots-") as tmp:
        env = bench_env(Path(tmp))
        print("Preparing the bench_ballots database...", flush=True)
        prepare_database(env)
        script = Path(tmp) / "vote.lua"
        script.write_text(LUA)
        log = out_dir / "ballots-servers.log"
        log.write_text("")
        for index, name in enumerate(args.servers):
            budget_slug = f"budget-{index}-{name}"
            voters_file = Path(tmp) / f"{budget_slug}.txt"
            print(f"Creating {args.voters:,} voters for {name}...", flush=True)
            target = django_step(env, "create", budget_slug, str(args.voters + WARM_VOTERS), str(voters_file))
            lines = voters_file.read_text().split("\n")[:-1]
            warm, voting = lines[:WARM_VOTERS], lines[WARM_VOTERS:]
            voters_file.write_text("\n".join(voting) + "\n")
            process, port, command = start(name, env, args.workers, log, priority=args.priority)
            try:
                warm_up(process, port, target["path"], target["body"], warm, log)
                load_before = round(os.getloadavg()[0], 2)
                cpu_before = session_cpu_seconds(process.pid)
                figures = load(
                    port, target["path"], target["body"], voters_file, script, args.duration, args.connections
                )
                cpu = session_cpu_seconds(process.pid) - cpu_before
                time.sleep(1)  # let the requests still in flight finish before counting
            finally:
                stop(process)
            counts = django_step(env, "count", budget_slug)
            successes = figures["requests"] - figures["non_2xx"]
            # The warm-up POST voted too: one ballot more than wrk's 302s.
            expected_min = successes + 1
            consistent = (
                counts["ledger_rows"] == counts["ballots"] == counts["distinct_voters"] == counts["audit_rows"]
                and expected_min <= counts["ballots"] <= expected_min + args.connections
            )
            result = Result(
                server=name,
                command=command,
                voters=len(voting),
                votes_per_second=round(successes / args.duration, 1),
                cpu_ms_per_request=round(1000 * cpu / figures["requests"], 2) if figures["requests"] else float("nan"),
                consistent=consistent,
                load_before=load_before,
                **figures,
                **counts,
            )
            results.append(result)
            print(
                f"{name:18} {result.votes_per_second:8,.0f} votes/s  p50 {result.p50_ms:6.1f} ms  "
                f"p99 {result.p99_ms:7.1f} ms  cpu {result.cpu_ms_per_request:5.2f} ms/vote  "
                f"refused {result.non_2xx}  ballots {result.ballots}  consistent {consistent}",
                flush=True,
            )
    stamp = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H%M%SZ")
    report = {
        "date": stamp,
        "machine": {"cpus": os.cpu_count(), "processor": _cpu_model(), "python": platform.python_version()},
        "wrk": f"wrk --threads 1 --connections {args.connections} --duration {args.duration}s --latency",
        "workers": args.workers,
        "priority": args.priority,
        "results": [asdict(r) for r in results],
    }
    (out_dir / f"ballots-{stamp}.json").write_text(json.dumps(report, indent=2))
    print()
    print(markdown(results))
    print(f"\nJSON: var/bench/ballots-{stamp}.json")
    return 0 if all(r.consistent for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per server")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--voters", type=int, default=20000, help="voters per server (each votes once)")
    parser.add_argument("--servers", nargs="+", choices=list(SERVERS), default=list(SERVERS))
    parser.add_argument("--priority", action="store_true", help="larger CPU share on a shared machine (Linux, root)")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        name, *rest = args.step
        output = step_create(rest[0], int(rest[1]), rest[2]) if name == "create" else step_count(rest[0])
        print(json.dumps(output))
        return 0
    if not 1 <= args.duration <= 60:
        parser.error("--duration must be between 1 and 60 seconds")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
