"""CPU cost of one request through the whole Django stack, broken down by layer.

    python -m bench.request_overhead                    # fresh bench_overhead database, 300 requests each
    python -m bench.request_overhead --keep-db --requests 500
    python -m bench.request_overhead --keep-db --profile ballot-cast

Runs in one process with the production settings (bench.petitions_settings: production
without the static manifest), against a dedicated `bench_overhead` PostgreSQL database
(recreated and migrated unless --keep-db) and a Redis database (--redis-url). Each request
is an environ handed to Django's WSGIHandler, as gunicorn does, so every middleware, the
URL resolver, the view, the template and the response's iteration run exactly as served;
no HTTP parsing or socket work is counted. The clock is `time.process_time` (CPU of this
process only), so other work on the machine barely changes the figures; the time PostgreSQL
and Redis spend on their side is not in them (their client-side CPU is).

Scenarios: a logged-in voter casting a knapsack ballot (POST, 302), the same voter's ballot
page (GET), an anonymous petition signature (POST, 302), its e-mailed confirmation (POST,
302) and the petition page (GET). For each: CPU per request, then each middleware's own
share (its time minus the layers inside it; process_view hooks counted to their
middleware), the view (with its forms, queries and templates), and, overlapping those,
the lazy session load, the user lookup, each context processor, template rendering, and
the SQL queries and Redis round trips per request. Results are printed as Markdown
(docs/BENCHMARKS.md, "Request overhead") and written to var/bench/request-overhead-<date>.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_NAME = "bench_overhead"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
HOST = "127.0.0.1"
ORIGIN = f"https://{HOST}"
PROCESS_SLUG = "bench-overhead"
BUDGET_SLUG = "quartiers"
PETITION_SLUG = "bench-overhead"
CSRF = "b" * 32
WARM_UP = 20
COUNTS = ("SQL queries", "Redis round trips", "Redis clients built")


def configure(redis_url: str, settings_module: str = "bench.petitions_settings") -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_SECRET_KEY="bench-" + "x" * 60,
        VERIFICATION_HMAC_KEY="bench-verification-key",
        ALTCHA_HMAC_KEY="bench-altcha-key",
        PETITIONS_IDENTITY_KEY="bench-identity-key",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}",
        REDIS_URL=redis_url,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_CLIENT_IP_HEADER="X-Real-IP",
        ALTCHA_ENABLED="false",
        PETITIONS_SIGN_RATE="100000/m",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("CI", None)


def prepare_database(keep: bool) -> bool:
    """Create the database when missing (or always without --keep-db); True when it must be migrated."""
    import psycopg

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if exists and keep:
            return False
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE_NAME}")
    return True


# ---------------------------------------------------------------------------- fixtures


def fixtures(voters: int) -> dict:
    """One open knapsack budget and `voters` logged-in residents; one open petition."""
    import datetime

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from budgets.models import BallotType, Budget, BudgetPhase, BudgetProcess, PhaseKind, Project, ProjectStatus
    from budgets.models import VotingScope as Scope
    from civicplatform.accounts.models import User, VerificationLevel
    from civicplatform.territory.models import District, Municipality
    from petitions.identity import add_months
    from petitions.models import SIGNATURE_PHASE, Petition, PetitionPhase, PetitionStatus

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
                ends_at=now + datetime.timedelta(days=30),
            )
            budget = Budget.objects.create(process=process, slug=BUDGET_SLUG, name="Quartiers", amount=100000)
            Project.objects.bulk_create(
                Project(
                    process=process, budget=budget, title=f"Projet {n}", cost=10000 * n, status=ProjectStatus.FEASIBLE
                )
                for n in range(1, 7)
            )
        budget = Budget.objects.get(process=process, slug=BUDGET_SLUG)
        projects = list(budget.projects.order_by("cost"))
        if not Petition.objects.filter(slug=PETITION_SLUG).exists():
            municipality = Municipality.objects.create(name="Belleville", insee_code="45998", registered_electors=9000)
            District.objects.create(municipality=municipality, name="Centre", slug="centre", postal_codes=["45100"])
            petition = Petition.objects.create(
                slug=PETITION_SLUG,
                municipality=municipality,
                title="Une piste cyclable rue des Écoles",
                summary="Relier l’école au centre-ville en sécurité.",
                status=PetitionStatus.OPEN,
                response_threshold=500,
                debate_threshold=2000,
                published_at=now,
            )
            PetitionPhase.objects.create(
                petition=petition, kind=SIGNATURE_PHASE, starts_at=now, ends_at=add_months(now, 6)
            )
    stamp = get_random_string(8).lower()
    User.objects.bulk_create(
        (
            User(
                email=f"o-{stamp}-{n}@bench.example",
                pseudonym=f"O{stamp}{n}",
                verification_level=VerificationLevel.RESIDENT,
                password="!",  # noqa: S106 - unusable: the sessions are written directly
            )
            for n in range(voters)
        ),
        batch_size=2000,
    )
    from importlib import import_module

    from django.conf import settings

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    backend = "django.contrib.auth.backends.ModelBackend"
    keys = []
    sessions = []
    cached = {}
    for user in User.objects.filter(email__startswith=f"o-{stamp}-").order_by("pk"):
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: user.get_session_auth_hash()}
        sessions.append(
            Session(session_key=key, session_data=store_class().encode(data), expire_date=now + datetime.timedelta(1))
        )
        cached[getattr(store_class, "cache_key_prefix", "") + key] = data
        keys.append(key)
    Session.objects.bulk_create(sessions, batch_size=2000)
    if hasattr(store_class, "cache_key_prefix"):
        # A cached_db session is in the cache from the login on (SessionStore.save writes both).
        from django.core.cache import caches

        caches[settings.SESSION_CACHE_ALIAS].set_many(cached, timeout=24 * 3600)
    return {
        "sessions": keys,
        "vote_path": f"/budgets/{PROCESS_SLUG}/vote/{BUDGET_SLUG}/",
        "vote_body": "&".join(f"projects={p.public_id}" for p in projects[:3]) + "&action=cast",
        "sign_path": f"/petitions/{PETITION_SLUG}/signer/",
        "petition_path": f"/petitions/{PETITION_SLUG}/",
        "stamp": stamp,
    }


def confirmation_paths(stamp: str) -> list[str]:
    from petitions.models import Signature
    from petitions.services.signing import confirmation_token

    pending = Signature.objects.filter(
        petition__slug=PETITION_SLUG, confirmed_at__isnull=True, email__contains=f"-{stamp}-"
    ).only("public_id")
    return [f"/petitions/signature/confirmer/{confirmation_token(s)}/" for s in pending.order_by("pk")]


# ---------------------------------------------------------------------------- instrumentation


class Meter:
    """Accumulates process CPU time (ns) and counts per label for the current request."""

    def __init__(self) -> None:
        self.ns: dict[str, int] = defaultdict(int)
        self.calls: dict[str, int] = defaultdict(int)
        self.depth: dict[str, int] = defaultdict(int)

    def wrap(self, label: str, func: Callable) -> Callable:
        clock = time.process_time_ns

        def timed(*args, **kwargs):
            if self.depth[label]:  # re-entered (nested templates): counted by the outer call
                return func(*args, **kwargs)
            self.depth[label] += 1
            started = clock()
            try:
                return func(*args, **kwargs)
            finally:
                self.ns[label] += clock() - started
                self.calls[label] += 1
                self.depth[label] -= 1

        timed.__wrapped__ = func  # type: ignore[attr-defined]
        return timed


METER = Meter()
MIDDLEWARE_LAYERS: list[str] = []  # outermost first, then "view layer"


def instrument() -> object:
    """A WSGIHandler whose every layer, lazy load, context processor, query and Redis call is metered."""
    from importlib import import_module

    import redis.connection
    from django.conf import settings
    from django.contrib import auth
    from django.core.handlers import base as handler_base
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.template import engines
    from django.template.backends import django as django_backend

    original_convert = handler_base.convert_exception_to_response
    built: list[str] = []

    def convert(get_response):
        # The innermost layer is the handler's own _get_response; the others are middleware instances.
        name = "view layer" if hasattr(get_response, "__self__") else type(get_response).__name__
        label = "mw:" + name
        built.append(label)
        return original_convert(METER.wrap(label, get_response))

    handler_base.convert_exception_to_response = convert
    try:
        handler = WSGIHandler()
    finally:
        handler_base.convert_exception_to_response = original_convert
    MIDDLEWARE_LAYERS[:] = list(reversed(built))
    for attribute in ("_view_middleware", "_template_response_middleware", "_exception_middleware"):
        hooks = getattr(handler, attribute)
        for index, hook in enumerate(hooks):
            owner = getattr(hook, "__self__", None)
            name = type(owner).__name__ if owner is not None else hook.__qualname__.split(".")[0]
            hooks[index] = METER.wrap(f"hook:{name}", hook)

    engine = engines["django"].engine
    engine.__dict__["template_context_processors"] = tuple(
        METER.wrap(f"cp:{func.__module__}.{func.__name__}", func) for func in engine.template_context_processors
    )
    # Names of the lazy loads: measured where they happen, whoever triggers them.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store.load = METER.wrap("lazy:session load", store.load)
    auth.get_user = METER.wrap("lazy:user lookup", auth.get_user)
    from django.contrib.auth import middleware as auth_middleware

    auth_middleware.auth.get_user = auth.get_user
    django_backend.Template.render = METER.wrap("template rendering", django_backend.Template.render)
    # The site chrome every page includes from base.html (header with the main menu, footer).
    from django.template.loader_tags import IncludeNode

    include_render = IncludeNode.render
    chrome = {"includes/header.html", "includes/footer.html", "includes/brand_colours.html"}
    timed_includes = {name: METER.wrap(f"template {name}", include_render) for name in chrome}

    def render_include(node, context):
        name = getattr(node.template, "var", None)
        timed = timed_includes.get(name) if isinstance(name, str) else None
        return (timed or include_render)(node, context)

    IncludeNode.render = render_include

    def count_query(execute, sql, params, many, context):
        METER.calls["SQL queries"] += 1
        return execute(sql, params, many, context)

    connection.execute_wrappers.append(count_query)
    original_send = redis.connection.AbstractConnection.send_packed_command

    def send(self, command, check_health=True):
        METER.calls["Redis round trips"] += 1
        return original_send(self, command, check_health)

    redis.connection.AbstractConnection.send_packed_command = send
    original_init = redis.Redis.__init__

    def init(self, *args, **kwargs):
        METER.calls["Redis clients built"] += 1
        original_init(self, *args, **kwargs)

    redis.Redis.__init__ = init
    return handler


def environ(method: str, path: str, *, cookies: str = "", body: str = "", ip: str = "10.0.0.1") -> dict:
    data = body.encode()
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": HOST,
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST,
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_REAL_IP": ip,
        "HTTP_USER_AGENT": "bench/request_overhead",
        "HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookies:
        env["HTTP_COOKIE"] = cookies
    if method == "POST":
        env.update(
            CONTENT_TYPE="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(len(data)),
            HTTP_ORIGIN=ORIGIN,
            HTTP_REFERER=ORIGIN + path,
        )
    return env


def call(handler, env: dict) -> tuple[str, int]:
    """One request through the handler; (status, CPU ns), the response iterated and closed as gunicorn does."""
    status: list[str] = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    started = time.process_time_ns()
    response = handler(env, start_response)
    try:
        for _chunk in response:
            pass
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()
    return status[0], time.process_time_ns() - started


def measure(handler, name: str, requests: list[dict], expected: str, profile: cProfile.Profile | None) -> dict:
    """Run `requests` (the first WARM_UP unmeasured); the per-request means of every meter."""
    for env in requests[:WARM_UP]:
        got, _ns = call(handler, env)
        if not got.startswith(expected):
            raise SystemExit(f"{name}: warm-up answered {got}, expected {expected}")
    measured = requests[WARM_UP:]
    METER.ns.clear()
    METER.calls.clear()
    total = 0
    if profile is not None:
        profile.enable()
    for env in measured:
        got, ns = call(handler, env)
        total += ns
        if not got.startswith(expected):
            raise SystemExit(f"{name}: answered {got}, expected {expected}")
    if profile is not None:
        profile.disable()
    n = len(measured)
    layers = [label for label in MIDDLEWARE_LAYERS if label in METER.ns]
    own: dict[str, float] = {}
    for index, label in enumerate(layers):
        inner = METER.ns[layers[index + 1]] if index + 1 < len(layers) else 0
        own[label] = METER.ns[label] - inner
    hooks = {label: ns for label, ns in METER.ns.items() if label.startswith("hook:")}
    for label, ns in hooks.items():  # process_view / process_template_response: run inside the view layer
        own["mw:view layer"] = own.get("mw:view layer", 0) - ns
        owner = "mw:" + label.split(":", 1)[1]
        own[owner] = own.get(owner, 0) + ns
    other = {
        label: ns
        for label, ns in METER.ns.items()
        if label.startswith(("lazy:", "cp:", "template")) and not label.startswith("mw:")
    }
    return {
        "scenario": name,
        "requests": n,
        "cpu_ms_per_request": round(total / n / 1e6, 3),
        "outside_middleware_ms": round((total - METER.ns.get(layers[0], 0)) / n / 1e6, 3) if layers else None,
        "layers_ms": {label.split(":", 1)[1]: round(ns / n / 1e6, 3) for label, ns in own.items()},
        "overlapping_ms": {label: round(ns / n / 1e6, 3) for label, ns in sorted(other.items())},
        "per_request": {label: round(METER.calls[label] / n, 2) for label in COUNTS},
    }


# ---------------------------------------------------------------------------- run


def scenarios(data: dict, requests: int) -> list[tuple[str, Callable[[], list[dict]], str]]:
    sessions = iter(data["sessions"])
    viewer = data["sessions"][-1]
    csrf = f"csrftoken={CSRF}"
    body = f"csrfmiddlewaretoken={CSRF}&" + data["vote_body"]
    count = requests + WARM_UP

    def votes() -> list[dict]:
        return [
            environ("POST", data["vote_path"], cookies=f"sessionid={next(sessions)}; {csrf}", body=body)
            for _ in range(count)
        ]

    def ballot_pages() -> list[dict]:
        return [environ("GET", data["vote_path"], cookies=f"sessionid={viewer}; {csrf}") for _ in range(count)]

    def signatures() -> list[dict]:
        return [
            environ(
                "POST",
                data["sign_path"],
                cookies=csrf,
                body=(
                    f"csrfmiddlewaretoken={CSRF}&name=Signataire+{n}&email=s-{data['stamp']}-{n}%40d{n % 500}.example"
                    "&postal_code=45100&consent=on&notify_response=on&website="
                ),
                ip=f"10.{n % 250}.{n // 250 % 250}.{n % 7 + 1}",
            )
            for n in range(count)
        ]

    def confirmations() -> list[dict]:
        return [
            environ("POST", path, cookies=csrf, body=f"csrfmiddlewaretoken={CSRF}")
            for path in confirmation_paths(data["stamp"])[:count]
        ]

    def petition_pages() -> list[dict]:
        return [environ("GET", data["petition_path"]) for _ in range(count)]

    return [
        ("ballot-cast", votes, "302"),
        ("ballot-page", ballot_pages, "200"),
        ("petition-sign", signatures, "302"),
        ("petition-confirm", confirmations, "302"),
        ("petition-page", petition_pages, "200"),
    ]


def markdown(results: list[dict]) -> str:
    names = [r["scenario"] for r in results]
    rows: list[str] = []
    head = "| per request (CPU ms) | " + " | ".join(names) + " |"
    rows += [head, "| --- |" + " ---: |" * len(names)]
    rows.append("| **total** | " + " | ".join(f"**{r['cpu_ms_per_request']:.2f}**" for r in results) + " |")
    rows.append(
        "| WSGI handler (environ → request, signals, close) | "
        + " | ".join(f"{r['outside_middleware_ms']:.2f}" for r in results)
        + " |"
    )
    labels: list[str] = []
    for r in results:
        labels += [label for label in r["layers_ms"] if label not in labels]
    for label in labels:
        cells = [f"{r['layers_ms'].get(label, 0):.2f}" for r in results]
        rows.append(
            f"| {'view (resolver, view, forms, queries, templates)' if label == 'view layer' else label} | "
            + " | ".join(cells)
            + " |"
        )
    overlapping: list[str] = []
    for r in results:
        overlapping += [label for label in r["overlapping_ms"] if label not in overlapping]
    for label in overlapping:
        cells = [f"{r['overlapping_ms'].get(label, 0):.2f}" for r in results]
        rows.append(f"| ↳ {label} | " + " | ".join(cells) + " |")
    for label in COUNTS:
        rows.append(f"| {label} | " + " | ".join(f"{r['per_request'][label]:g}" for r in results) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="measured requests per scenario")
    parser.add_argument("--keep-db", action="store_true", help="reuse bench_overhead when it exists")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_OVERHEAD_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--profile", metavar="SCENARIO", help="print cProfile's top functions for one scenario")
    parser.add_argument("--only", nargs="*", help="run only these scenarios")
    parser.add_argument("--settings", default="bench.petitions_settings", help="settings module (to compare)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    configure(args.redis_url, args.settings)
    migrate = prepare_database(args.keep_db)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if migrate:
        print("Migrating bench_overhead...", flush=True)
        call_command("migrate", "--noinput", verbosity=0)
    data = fixtures(args.requests + WARM_UP + 1)  # the last one only views the ballot page
    handler = instrument()
    results = []
    for name, build, expected in scenarios(data, args.requests):
        if args.only and name not in args.only:
            continue
        profile = cProfile.Profile(time.process_time) if args.profile == name else None
        result = measure(handler, name, build(), expected, profile)
        results.append(result)
        print(f"{name:18} {result['cpu_ms_per_request']:6.2f} ms CPU/request", flush=True)
        if profile is not None:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(45)
            print(out.getvalue())
    stamp = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H%M%SZ")
    report = {
        "date": stamp,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load": os.getloadavg()[0]},
        "settings": {"SESSION_ENGINE": settings.SESSION_ENGINE, "MIDDLEWARE": settings.MIDDLEWARE},
        "results": results,
    }
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"request-overhead-{stamp}.json").write_text(json.dumps(report, indent=2))
    print()
    print(f"SESSION_ENGINE {settings.SESSION_ENGINE}, load average {os.getloadavg()[0]:.1f}")
    print(markdown(results))
    print(f"\nJSON: var/bench/request-overhead-{stamp}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
