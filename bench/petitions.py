"""Signatures over HTTP on one petition: sustained submissions, then e-mail confirmations,
then the settled count, compared with PostgreSQL's raw INSERT rate measured in the same run.

    python -m bench.petitions                       # 20 s of signing, then every confirmation
    python -m bench.petitions --duration 10 --connections 64 --workers 3 --priority

What runs, all on 127.0.0.1 and stopped before the script returns (also on error or Ctrl-C):

1. a fresh `bench_petitions` PostgreSQL database, migrated, with one commune, its districts
   and one open civic petition; Redis database 14 or $BENCH_PETITIONS_REDIS_URL (cache, rate
   limits, Celery broker), emptied first;
2. gunicorn with the production settings (bench/petitions_settings.py) and sync workers;
3. `wrk` posting the anonymous signature form (CSRF token, honeypot, consent) with a new
   e-mail address, a random client address (X-Real-IP, trusted as behind the proxy) and
   one of 500 e-mail domains per request, so that the quiet per-connection and per-domain
   limits are checked as in production without holding anyone;
4. `wrk` posting each confirmation link once (the links are computed from the rows, as the
   e-mail would carry them; the e-mails themselves are queued for Celery, not sent);
   (both scripts count every POST sent and answered, and end only when none is in flight:
   see ACCOUNTING_LUA);
5. one fold of the count, then the checks: every POST answered and accepted, one row per
   accepted submission, no duplicate, every confirmation counted, and stored count =
   displayed count = validated rows;
6. `pgbench` inserting rows of the same width into a plain table of the same database
   (`-M prepared`, same number of client connections) for the ratio;
7. the cost of checking an ALTCHA solution (one HMAC and one Redis SETNX), which the
   HTTP run leaves out: ALTCHA is off there, as a load generator cannot do a browser's work.

Results: a Markdown summary (for docs/BENCHMARKS.md) and JSON under var/bench/.
Needs `wrk` and `pgbench` (Debian: apt-get install wrk postgresql-client).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench import serving
from bench.serving import BIN, HOST, ROOT, _cpu_model, free_port, parse_wrk, prioritise, session_cpu_seconds, stop

ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "bench_petitions"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
# Emptied at the start: give a database nobody else uses at the time (BENCH_PETITIONS_REDIS_URL).
REDIS_URL = os.environ.get("BENCH_PETITIONS_REDIS_URL", "redis://127.0.0.1:6379/14")
SLUG = "bench-petition-000000"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
START_TIMEOUT = 40.0
TARGET_PER_SECOND = 1000
UK_PEAK_PER_SECOND = 33

# Both scripts keep an exact account, so that "none lost" is checked request by request: each
# POST is counted when sent and when answered. Once the POSTs are over (signing period elapsed,
# or every link sent), a connection that frees up asks for TAIL_PATH (a 404, never a POST's
# answer) and the thread stops as soon as every POST sent has its answer: no request is left
# in flight, unseen, when wrk ends. The rate is POSTs answered over wrk's whole run, drain included.
ACCOUNTING_LUA = r"""
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

-- A POST still unanswered this long after the last one was sent is lost to the client (wrk
-- counts it as a socket error or a timeout): stop waiting for it (wrk's --timeout is 10 s).
local DRAIN_SECONDS = 12

local function finish_if_done()
  if not posting_over or drained then return end
  over_at = over_at or os.time()
  if answered >= posted or os.time() - over_at > DRAIN_SECONDS then
    -- thread:stop() ends the requests but wrk still sleeps out --duration: the Python side
    -- reads this line and interrupts wrk (SIGINT), which then prints its summary at once.
    drained = true
    io.write("DRAINED\n")
    io.flush()
    wrk.thread:stop()
  end
end

-- wrk calls request() once before any connection, to check the script (thread 1 only; these
-- runs use one thread): that request is never sent, so it must not use up a signature or a link.
local function verifying()
  if checked then return false end
  checked = true
  return true
end

function response(status, headers, body)
  if status ~= 404 then
    answered = answered + 1
    statuses[status] = (statuses[status] or 0) + 1
    last_answer = os.time()
  end
  finish_if_done()
end

function done(summary, latency, requests)
  local total, sent, got, first, last = {}, 0, 0, nil, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
    sent = sent + thread:get("posted")
    got = got + thread:get("answered")
    local started = thread:get("started")
    if started and (first == nil or started < first) then first = started end
    last = math.max(last, thread:get("last_answer") or 0)
  end
  for status, n in pairs(total) do io.write(string.format("STATUS %d %d\n", status, n)) end
  io.write(string.format("POSTED %d\nANSWERED %d\nDURATION_US %d\n", sent, got, summary.duration))
  -- Whole seconds (os.time): from the first request to the last POST answered.
  io.write(string.format("POSTING_SECONDS %d\n", last - (first or last)))
end
"""

SIGN_LUA = (
    ACCOUNTING_LUA
    + r"""
function init(args)
  token, path, origin, seconds, tail = args[1], args[2], args[3], tonumber(args[4]), args[5]
  math.randomseed(tid * 7919)
  statuses, posted, answered, counter, posting_over, started = {}, 0, 0, 0, false, nil
end

function request()
  if verifying() then return wrk.format("GET", tail) end
  local now = os.time()
  if started == nil then started = now end
  if now - started >= seconds then posting_over = true end
  if posting_over then
    return wrk.format("GET", tail, {["X-Forwarded-Proto"] = "https"})
  end
  posted = posted + 1
  counter = counter + 1
  local email = "s" .. tid .. "x" .. counter .. "%40d" .. math.random(1, 500) .. ".bench.example"
  local body = "csrfmiddlewaretoken=" .. token .. "&name=Signataire+" .. counter .. "&email=" .. email
    .. "&postal_code=45100&consent=on&notify_response=on&website="
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. token,
    ["Origin"] = origin,
    ["Referer"] = origin .. path,
    ["X-Forwarded-Proto"] = "https",
    ["X-Real-IP"] = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254),
  }
  return wrk.format("POST", path, headers, body)
end
"""
)

CONFIRM_LUA = (
    ACCOUNTING_LUA
    + r"""
function init(args)
  csrf, origin, tail = args[1], args[2], args[4]
  tokens = {}
  for line in io.lines(args[3]) do table.insert(tokens, line) end
  statuses, posted, answered, posting_over = {}, 0, 0, #tokens == 0
end

function request()
  if verifying() then return wrk.format("GET", tail) end
  started = started or os.time()
  if posted >= #tokens then
    posting_over = true
    return wrk.format("GET", tail, {["X-Forwarded-Proto"] = "https"})
  end
  posted = posted + 1
  local path = "/petitions/signature/confirmer/" .. tokens[posted] .. "/"
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. csrf,
    ["Origin"] = origin,
    ["Referer"] = origin .. path,
    ["X-Forwarded-Proto"] = "https",
  }
  return wrk.format("POST", path, headers, "csrfmiddlewaretoken=" .. csrf)
end
"""
)
TAIL_PATH = "/petitions/bench-no-such-petition/"


PGBENCH_SQL = """\\set n random(1, 2000000000)
INSERT INTO bench_raw_signature (petition_id, email, postal_code, created_at)
VALUES (1, 's' || :n || '@bench.example', '45100', now());
"""


# ---------------------------------------------------------------------------- child steps (Django)


def _django() -> None:
    import django

    django.setup()


def child_setup() -> None:
    """Inside the bench environment: one commune, its districts, one open petition."""
    _django()
    from django.utils import timezone

    from civicplatform.territory.models import District, Municipality
    from petitions.identity import add_months
    from petitions.models import SIGNATURE_PHASE, Petition, PetitionPhase, PetitionStatus

    municipality = Municipality.objects.create(
        name="Belleville-sur-Loire", insee_code="45999", registered_electors=17450
    )
    for index, code in enumerate(["45100", "45110", "45120"]):
        District.objects.create(
            municipality=municipality, name=f"Quartier {index}", slug=f"q{index}", postal_codes=[code]
        )
    now = timezone.now()
    petition = Petition.objects.create(
        slug=SLUG,
        municipality=municipality,
        title="Une piste cyclable rue des Écoles",
        summary="Relier l’école au centre-ville en sécurité.",
        status=PetitionStatus.OPEN,
        response_threshold=500,
        debate_threshold=2000,
        published_at=now,
    )
    PetitionPhase.objects.create(petition=petition, kind=SIGNATURE_PHASE, starts_at=now, ends_at=add_months(now, 6))


def child_tokens(path: str) -> None:
    """Write the confirmation link token of every pending signature, one per line."""
    _django()
    from petitions.models import Signature
    from petitions.services.signing import confirmation_token

    with open(path, "w") as out:
        for signature in Signature.objects.filter(petition__slug=SLUG, confirmed_at__isnull=True).only("public_id"):
            out.write(confirmation_token(signature) + "\n")


def child_verify() -> None:
    """Fold once, then print every figure the checks compare, as JSON."""
    _django()
    from django.core.cache import cache
    from django.db.models import Count

    from petitions import selectors
    from petitions.models import Petition, Signature, SignatureState
    from petitions.services.counting import count_cache_key, counts_fold

    petition = Petition.objects.get(slug=SLUG)
    started = time.perf_counter()
    counts_fold(petition_ids=[petition.pk])
    fold_seconds = time.perf_counter() - started
    cache.delete(count_cache_key(petition.pk))
    petition.refresh_from_db()
    rows = Signature.objects.filter(petition=petition)
    print(
        json.dumps(
            {
                "rows": rows.count(),
                "distinct_emails": rows.values("email_canonical").distinct().count(),
                "duplicated_emails": rows.values("email_canonical").annotate(n=Count("pk")).filter(n__gt=1).count(),
                "validated": rows.filter(state=SignatureState.VALIDATED).count(),
                "pending": rows.filter(state=SignatureState.PENDING).count(),
                "held": rows.filter(state=SignatureState.HELD).count(),
                "stored_count": petition.signature_count,
                "displayed_count": selectors.signature_count(petition),
                "status": petition.status,
                "fold_seconds": round(fold_seconds, 3),
            }
        )
    )


def child_altcha(count: int) -> None:
    """Time the server's check of ALTCHA solutions (cost does not matter: the key is signed)."""
    _django()
    import altcha as altcha_lib
    from django.conf import settings

    from petitions import altcha

    settings.ALTCHA_COST = 1
    payloads = []
    for _ in range(count):
        challenge = altcha_lib.Challenge.from_dict(altcha.challenge_create())
        payloads.append(altcha_lib.Payload(challenge, altcha_lib.solve_challenge(challenge)).to_base64())
    started = time.perf_counter()
    accepted = sum(altcha.solution_verify(payload) for payload in payloads)
    elapsed = time.perf_counter() - started
    print(json.dumps({"checked": count, "accepted": accepted, "us_per_check": round(1e6 * elapsed / count, 1)}))


CHILD_STEPS = {"setup": child_setup, "tokens": child_tokens, "verify": child_verify, "altcha": child_altcha}


# ---------------------------------------------------------------------------- orchestration


def bench_env(var_dir: Path) -> dict[str, str]:
    return serving.bench_env(
        var_dir,
        settings="bench.petitions_settings",
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        ALTCHA_HMAC_KEY="bench-altcha-key",
        PETITIONS_IDENTITY_KEY="bench-identity-key",
        # The load generator stands for many people behind the TLS proxy, which sets X-Real-IP.
        DJANGO_CLIENT_IP_HEADER="X-Real-IP",
        # A load generator cannot do a browser's proof of work (its server cost is measured apart).
        ALTCHA_ENABLED="false",
        # The hard per-IP limit guards against one client; the addresses here are random.
        PETITIONS_SIGN_RATE="100000/m",
    )


def run_child(env: dict[str, str], step: str, *args: str, capture: bool = False) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.petitions", "--child", step, *args],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
        capture_output=capture,
        text=True,
    )
    return completed.stdout if capture else ""


def prepare(env: dict[str, str]) -> None:
    import psycopg
    import redis

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    redis.Redis.from_url(REDIS_URL).flushdb()  # this benchmark's own database (see REDIS_URL)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL,
    )
    run_child(env, "setup")


def start_server(env: dict[str, str], workers: int, log: Path, *, priority: bool) -> tuple[subprocess.Popen, int]:
    port = free_port()
    argv = [
        str(BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "civicplatform.wsgi:application",
    ]
    process = subprocess.Popen(  # noqa: S603 - fixed argv, loopback only
        argv, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        if priority:
            prioritise(process.pid)
        deadline = time.monotonic() + START_TIMEOUT
        url = f"http://{HOST}:{port}/petitions/{SLUG}/"
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
            try:
                for _ in range(10):  # warm every worker: imports, templates, connections
                    urllib.request.urlopen(urllib.request.Request(url, headers=PROXY_HEADERS), timeout=5).read()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT:.0f} s; see {log}") from None
                time.sleep(0.3)
    except BaseException:
        stop(process)
        raise
    return process, port


def csrf_token(port: int) -> str:
    """One CSRF cookie for the whole run, as a browser keeps its own."""
    request = urllib.request.Request(f"http://{HOST}:{port}/petitions/{SLUG}/signer/", headers=PROXY_HEADERS)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        cookies = response.headers.get_all("Set-Cookie") or []
    for cookie in cookies:
        match = re.match(r"csrftoken=([^;]+)", cookie)
        if match:
            return match.group(1)
    raise RuntimeError("no CSRF cookie on the signature form")


def wrk(script: str, args: list[str], *, port: int, path: str, duration: int, connections: int, tmp: Path) -> dict:
    """Run one accounting script; `duration` only caps the run (the script stops itself)."""
    script_path = tmp / "script.lua"
    script_path.write_text(script)
    argv = [
        "wrk", "--threads", "1", "--connections", str(connections), "--duration", f"{duration}s",
        "--timeout", "10s", "--latency", "--script", str(script_path), f"http://{HOST}:{port}{path}", "--", *args,
    ]  # fmt: skip
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if line.strip() == "DRAINED":
                process.send_signal(signal.SIGINT)
                break
        out, err = process.communicate(timeout=duration + 60)
    except BaseException:
        process.kill()
        raise
    if process.returncode != 0:
        raise RuntimeError(f"wrk exited with {process.returncode}: {err}")
    stdout = "".join(lines) + out
    completed = subprocess.CompletedProcess(argv, process.returncode, stdout, err)
    figures = parse_wrk(completed.stdout)
    figures["statuses"] = {
        int(code): int(count) for code, count in re.findall(r"^STATUS (\d+) (\d+)$", completed.stdout, re.MULTILINE)
    }
    for name in ("POSTED", "ANSWERED", "DURATION_US", "POSTING_SECONDS"):
        found = re.search(rf"^{name} (\d+)$", completed.stdout, re.MULTILINE)
        figures[name.lower()] = int(found.group(1)) if found else 0
    # wrk's own Requests/sec also counts the drain's GETs and time: the rate reported is POSTs
    # answered per second from the first request to the last POST answered (whole seconds, so
    # within 1 s of the truth: about 5 % over 20 s).
    seconds = figures["posting_seconds"] or figures["duration_us"] / 1e6
    figures["seconds"] = round(seconds, 2)
    figures["posts_per_second"] = round(figures["answered"] / seconds, 1) if seconds else 0.0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", completed.stdout)
    figures["socket_errors_detail"] = dict(
        zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True) if errors else {}
    )
    figures["raw"] = completed.stdout
    return figures


def pgbench(connections: int, duration: int, tmp: Path) -> dict:
    import psycopg

    with psycopg.connect(DATABASE_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE bench_raw_signature (id bigserial PRIMARY KEY, petition_id bigint NOT NULL, "
            "email varchar(254) NOT NULL, postal_code varchar(5) NOT NULL, created_at timestamptz NOT NULL)"
        )
    script = tmp / "insert.sql"
    script.write_text(PGBENCH_SQL)
    argv = [
        "pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-M", "prepared", "-c", str(connections),
        "-j", "2", "-T", str(duration), "-f", str(script), DATABASE,
    ]  # fmt: skip
    completed = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=True)
    tps = re.search(r"tps = ([\d.]+)", completed.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", completed.stdout)
    return {
        "inserts_per_second": float(tps.group(1)) if tps else 0.0,
        "latency_ms": float(latency.group(1)) if latency else 0.0,
        "command": " ".join(argv[:-2] + [script.name, DATABASE]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of signing (1-120)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--priority", action="store_true", help="larger CPU share for server and wrk (Linux, root)")
    parser.add_argument("--child", choices=list(CHILD_STEPS), help=argparse.SUPPRESS)
    parser.add_argument("child_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step = CHILD_STEPS[args.child]
        step(*([int(a) if a.isdigit() else a for a in args.child_args]))
        return 0
    if not 1 <= args.duration <= 120:
        parser.error("--duration must be between 1 and 120 seconds")
    for tool in ("wrk", "pgbench"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed", file=sys.stderr)
            return 2
    if args.priority:
        prioritise()

    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    log = out_dir / "petitions-server.log"
    log.write_text("")
    with tempfile.TemporaryDirectory(prefix="bench-petitions-") as tmp_name:
        tmp = Path(tmp_name)
        env = bench_env(tmp)
        print("Preparing the bench_petitions database...", flush=True)
        prepare(env)
        load_before = round(os.getloadavg()[0], 2)
        process, port = start_server(env, args.workers, log, priority=args.priority)
        origin = f"https://{HOST}:{port}"
        try:
            token = csrf_token(port)
            cpu_before = session_cpu_seconds(process.pid)
            sign = wrk(
                SIGN_LUA,
                [token, f"/petitions/{SLUG}/signer/", origin, str(args.duration), TAIL_PATH],
                port=port,
                path=f"/petitions/{SLUG}/signer/",
                duration=args.duration + 60,
                connections=args.connections,
                tmp=tmp,
            )
            sign_cpu = session_cpu_seconds(process.pid) - cpu_before
            tokens_file = tmp / "tokens.txt"
            run_child(env, "tokens", str(tokens_file))
            pending = sum(1 for _ in tokens_file.open())
            cpu_before = session_cpu_seconds(process.pid)
            confirm = wrk(
                CONFIRM_LUA,
                [token, origin, str(tokens_file), TAIL_PATH],
                port=port,
                path="/petitions/",
                duration=max(120, args.duration * 6),
                connections=args.connections,
                tmp=tmp,
            )
            confirm_cpu = session_cpu_seconds(process.pid) - cpu_before
        finally:
            stop(process)
        settled = json.loads(run_child(env, "verify", capture=True).strip().splitlines()[-1])
        raw = pgbench(args.connections, min(args.duration, 20), tmp)
        altcha_cost = json.loads(run_child(env, "altcha", "2000", capture=True).strip().splitlines()[-1])

    accepted = sign["statuses"].get(302, 0)
    confirmed = confirm["statuses"].get(302, 0)
    checks = {
        "every POST answered (none in flight at the end)": sign["answered"] == sign["posted"]
        and confirm["answered"] == confirm["posted"] == pending,
        "every submission accepted (302)": accepted == sign["posted"],
        "every accepted submission is one row": settled["rows"] == accepted,
        "no row without a POST": settled["rows"] <= sign["posted"],
        "no address signed twice": settled["duplicated_emails"] == 0 and settled["distinct_emails"] == settled["rows"],
        "every confirmation counted": settled["validated"] == confirmed == pending,
        "stored = displayed = validated rows": settled["stored_count"]
        == settled["displayed_count"]
        == settled["validated"],
        "nothing held": settled["held"] == 0,
    }
    sign_rate = sign["posts_per_second"]
    # A signature that counts costs both requests: signatures counted per second of the two phases.
    counted_rate = settled["validated"] / (sign["seconds"] + confirm["seconds"]) if sign["seconds"] else 0.0
    report = {
        "date": datetime.now(tz=UTC).strftime("%Y-%m-%dT%H%M%SZ"),
        "machine": {
            "cpus": os.cpu_count(),
            "processor": _cpu_model(),
            "python": platform.python_version(),
            "kernel": platform.release(),
            "load_before": load_before,
        },
        "server": f"gunicorn --workers {args.workers} (sync), bench.petitions_settings",
        "wrk": f"wrk --threads 1 --connections {args.connections} --duration {args.duration}s --timeout 10s",
        "priority": args.priority,
        "sign": {
            **{k: v for k, v in sign.items() if k != "raw"},
            "server_cpu_ms_per_request": round(1000 * sign_cpu / max(sign["requests"], 1), 2),
        },
        "confirm": {
            **{k: v for k, v in confirm.items() if k != "raw"},
            "pending_links": pending,
            "server_cpu_ms_per_request": round(1000 * confirm_cpu / max(confirm["requests"], 1), 2),
        },
        "settled": settled,
        "pgbench": raw,
        "altcha": altcha_cost,
        "ratio_http_sign_to_raw_insert": round(sign_rate / raw["inserts_per_second"], 4)
        if raw["inserts_per_second"]
        else None,
        "signatures_counted_per_second": round(counted_rate, 1),
        "target_per_second": TARGET_PER_SECOND,
        "checks": checks,
    }
    stamp = report["date"]
    (out_dir / f"petitions-{stamp}.json").write_text(json.dumps(report, indent=2, default=str))
    print(markdown(report))
    print(f"\nJSON: var/bench/petitions-{stamp}.json")
    return 0 if all(checks.values()) else 1


def markdown(report: dict) -> str:
    sign, confirm, raw = report["sign"], report["confirm"], report["pgbench"]
    lines = [
        "| step | requests | rate (/s) | p50 (ms) | p99 (ms) | server CPU ms/req | statuses |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| sign (POST form) | {sign['answered']:,} | {sign['posts_per_second']:,.0f} | {sign['p50_ms']:.1f} "
        f"| {sign['p99_ms']:.1f} | {sign['server_cpu_ms_per_request']:.2f} | {sign['statuses']} |",
        f"| confirm (POST link) | {confirm['answered']:,} | {confirm['posts_per_second']:,.0f} "
        f"| {confirm['p50_ms']:.1f} | {confirm['p99_ms']:.1f} | {confirm['server_cpu_ms_per_request']:.2f} "
        f"| {confirm['statuses']} |",
        f"| raw INSERT (pgbench) | | {raw['inserts_per_second']:,.0f} | {raw['latency_ms']:.1f} (mean) | | | |",
        "",
        f"HTTP signatures / raw INSERTs: **{report['ratio_http_sign_to_raw_insert']}**; signatures counted "
        f"(sign + confirm) per second: **{report['signatures_counted_per_second']}**; "
        f"target {report['target_per_second']}/s. Settled: {report['settled']}. "
        f"ALTCHA check: {report['altcha']['us_per_check']} µs. Load before: {report['machine']['load_before']}.",
        "",
        "Checks: " + ", ".join(f"{name}: {'yes' if ok else 'NO'}" for name, ok in report["checks"].items()),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
