"""Compare the ways of serving the platform over HTTP, on this machine.

    python -m bench.serving                 # every server, every path, 10 s each
    python -m bench.serving --duration 5 --servers gunicorn-sync uvicorn-httptools

Each server is started on 127.0.0.1 with the production settings against the
real PostgreSQL and Redis (a dedicated `bench_serving` database, recreated,
migrated and given the demo content here, and Redis database 15), loaded with
`wrk` for a fixed time, then stopped. Nothing listens beyond loopback and every process is ended before the
script returns, also on error or Ctrl-C. Results are printed as a Markdown
table (for docs/BENCHMARKS.md) and written as JSON under var/bench/.

Needs `wrk` (Debian: `apt-get install wrk`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
ADMIN_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_serving"
REDIS_URL = "redis://127.0.0.1:6379/15"
# Behind the reverse proxy every request arrives as HTTPS; without this header the
# production settings would answer each request with a redirect instead of the page.
PROXY_HEADER = "X-Forwarded-Proto: https"
START_TIMEOUT = 40.0

# name -> argv template; {wsgi}/{asgi} are filled from TARGETS for the path under test.
SERVERS: dict[str, list[str]] = {
    "gunicorn-sync": ["gunicorn", "--workers", "2", "--bind", "{bind}", "{wsgi}"],
    "gunicorn-uvicorn": [
        "gunicorn",
        "--workers",
        "2",
        "--worker-class",
        "uvicorn.workers.UvicornWorker",
        "--bind",
        "{bind}",
        "{asgi}",
    ],
    "uvicorn-httptools": [
        "uvicorn",
        "--workers",
        "2",
        "--http",
        "httptools",
        "--loop",
        "uvloop",
        "--no-access-log",
        "--host",
        HOST,
        "--port",
        "{port}",
        "{asgi}",
    ],
    "uvicorn-h11": [
        "uvicorn",
        "--workers",
        "2",
        "--http",
        "h11",
        "--loop",
        "asyncio",
        "--no-access-log",
        "--host",
        HOST,
        "--port",
        "{port}",
        "{asgi}",
    ],
    # daphne has no worker processes: one process is how it is deployed. `-v 0` turns off
    # its access log, which the other servers do not write either.
    "daphne": ["daphne", "-v", "0", "-b", HOST, "-p", "{port}", "{asgi}"],
}
# path -> (WSGI app, ASGI app)
TARGETS: dict[str, tuple[str, str]] = {
    "/hello": ("bench.hello:wsgi_app", "bench.hello:asgi_app"),
    "/healthz": ("civicplatform.wsgi:application", "civicplatform.asgi:application"),
    "/": ("civicplatform.wsgi:application", "civicplatform.asgi:application"),
}


@dataclass
class Result:
    server: str
    path: str
    command: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    # Server CPU time (all its processes) per request: unlike req/s, it barely moves when
    # other work shares the cores, so capacity on idle cores is about 1000 * cores / cpu_ms.
    cpu_ms_per_request: float
    # Other processes on the machine skew every figure: record how busy it was just before.
    load_before: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def bench_env(
    var_dir: Path,
    *,
    settings: str = "civicplatform.settings.production",
    database_url: str = DATABASE_URL,
    redis_url: str = REDIS_URL,
    **extra: str,
) -> dict[str, str]:
    """The environment of the servers every HTTP bench starts; `extra` adds or overrides settings."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DJANGO_SECRET_KEY="bench-" + "x" * 60,
        VERIFICATION_HMAC_KEY="bench-verification-key",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_ALLOWED_HOSTS=HOST,
        CIVIC_VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    env.pop("CI", None)
    return env


def prepare(env: dict[str, str]) -> None:
    """Create, migrate and fill a fresh bench database; collect static files for the manifest storage.

    Fresh every run: the demo content's uploaded images live in this run's temporary folder.
    """
    import psycopg
    import redis

    with psycopg.connect(ADMIN_DATABASE_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_serving WITH (FORCE)")
        conn.execute("CREATE DATABASE bench_serving")
    redis.Redis.from_url(REDIS_URL).flushdb()  # database 15 is the benchmark's own
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*manage, *args], env=env, cwd=ROOT, check=True, timeout=300, stdout=subprocess.DEVNULL)


def prioritise(pid: int | str = "self") -> None:
    """Raise a session's CPU share over the other jobs on the machine (Linux autogroups, root only).

    Each session is its own scheduling group, so plain `nice` does not reach past it; the
    group's own nice value does. PostgreSQL and Redis keep their normal share.
    """
    Path(f"/proc/{pid}/autogroup").write_text("-15")


def start(
    name: str, path: str, env: dict[str, str], log: Path, *, priority: bool = False
) -> tuple[subprocess.Popen, int, str]:
    """Start the server in its own session, wait for 200 on `path` and warm it; stop it on any failure."""
    port = free_port()
    wsgi, asgi = TARGETS[path]
    argv = [part.format(bind=f"{HOST}:{port}", port=port, wsgi=wsgi, asgi=asgi) for part in SERVERS[name]]
    argv[0] = str(BIN / argv[0])
    if "{asgi}" in SERVERS[name]:
        # As in production (docker-compose.yml, ws): under ASGI persistent connections pile up.
        env = {**env, "DJANGO_DB_CONN_MAX_AGE": "0"}
    process = subprocess.Popen(  # noqa: S603 - fixed argv, loopback only
        argv, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )
    command = " ".join([Path(argv[0]).name, *argv[1:]]).replace(str(port), "$PORT")
    try:
        if priority:
            prioritise(process.pid)
        _wait_until_ready(name, process, f"http://{HOST}:{port}{path}", log)
    except BaseException:  # also Ctrl-C: never leave a server behind
        stop(process)
        raise
    return process, port, command


def _wait_until_ready(name: str, process: subprocess.Popen, url: str, log: Path) -> None:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310 - loopback
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - loopback
                pass
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{name} answered {error.code} on {url}; see {log}") from error
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
            continue
        # Warm every worker (imports, template cache, DB connection) before measuring.
        for _ in range(20):
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - loopback
                pass
        return
    raise RuntimeError(f"{name} did not answer on {url} within {START_TIMEOUT:.0f} s; see {log}")


def session_cpu_seconds(session_id: int) -> float:
    """User + system CPU time of every live process in the server's session (master and workers)."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # the process ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == session_id:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    return round(float(match.group(1)) * _UNITS[match.group(2)], 2) if match else float("nan")


def parse_wrk(output: str) -> dict[str, float | int]:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests_per_second": float(rps.group(1)) if rps else 0.0,
        "p50_ms": _latency(output, "50"),
        "p99_ms": _latency(output, "99"),
        "requests": int(total.group(1)) if total else 0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        # Sync workers close each connection; only connect and timeout errors mean refused work.
        "socket_errors": int(errors.group(1)) + int(errors.group(4)) if errors else 0,
    }


def load(port: int, path: str, duration: int, connections: int) -> dict[str, float | int]:
    argv = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "5s",
        "--latency",
        "--header",
        PROXY_HEADER,
        f"http://{HOST}:{port}{path}",
    ]
    completed = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 30, check=True)
    return parse_wrk(completed.stdout)


def markdown(results: list[Result]) -> str:
    lines = [
        "| server | path | req/s | p50 (ms) | p99 (ms) | server CPU ms/req | non-2xx | socket errors | load before |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.server} | `{r.path}` | {r.requests_per_second:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {r.cpu_ms_per_request:.2f} | {r.non_2xx} | {r.socket_errors} | {r.load_before:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per server and path")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--servers", nargs="+", choices=list(SERVERS), default=list(SERVERS))
    parser.add_argument("--paths", nargs="+", choices=list(TARGETS), default=list(TARGETS))
    parser.add_argument(
        "--priority",
        action="store_true",
        help="on a shared machine, give the servers and wrk a larger CPU share (Linux, root)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 60:
        parser.error("--duration must be between 1 and 60 seconds")
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2

    if args.priority:
        prioritise()  # wrk runs in this session
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-serving-") as tmp:
        env = bench_env(Path(tmp))
        print("Preparing the bench_serving database and static files...", flush=True)
        prepare(env)
        log = out_dir / "serving-servers.log"
        log.write_text("")
        for name in args.servers:
            for path in args.paths:
                process, port, command = start(name, path, env, log, priority=args.priority)
                load_before = round(os.getloadavg()[0], 2)
                try:
                    cpu_before = session_cpu_seconds(process.pid)
                    figures = load(port, path, args.duration, args.connections)
                    cpu = session_cpu_seconds(process.pid) - cpu_before
                finally:
                    stop(process)
                cpu_ms = round(1000 * cpu / figures["requests"], 2) if figures["requests"] else float("nan")
                result = Result(
                    server=name,
                    path=path,
                    command=command,
                    cpu_ms_per_request=cpu_ms,
                    load_before=load_before,
                    **figures,
                )
                results.append(result)
                print(
                    f"{name:18} {path:9} {result.requests_per_second:9,.0f} req/s  "
                    f"p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:7.1f} ms  "
                    f"cpu {result.cpu_ms_per_request:5.2f} ms/req  "
                    f"non-2xx {result.non_2xx}  errors {result.socket_errors}",
                    flush=True,
                )

    stamp = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H%M%SZ")
    report = {
        "date": stamp,
        "machine": {
            "cpus": os.cpu_count(),
            "processor": _cpu_model(),
            "python": platform.python_version(),
            "kernel": platform.release(),
        },
        "wrk": f"wrk --threads 1 --connections {args.connections} --duration {args.duration}s --latency",
        "priority": args.priority,
        "results": [asdict(r) for r in results],
    }
    (out_dir / f"serving-{stamp}.json").write_text(json.dumps(report, indent=2))
    print()
    print(markdown(results))
    print(f"\nJSON: var/bench/serving-{stamp}.json")
    failed = [r for r in results if r.non_2xx or r.requests == 0]
    return 1 if failed else 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    sys.exit(main())
