"""The production shape: docker-compose.yml, Dockerfile and .dockerignore.

Docker cannot run here, so these read the files and check what a deployment
relies on: the six services and their commands, the one-shot migration, the
health probes on /healthz, a non-root image with static files collected.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "ws", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    # PyYAML resolves the `<<: *app` merge keys, so each service reads as compose sees it.
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _command(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def _probe(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def test_it_declares_the_six_services_and_a_one_shot_migration(services):
    assert {"postgres", "redis", "web", "ws", "worker", "beat", "migrate"} <= set(services)


def test_postgres_is_16_and_redis_is_7(services):
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "pg_isready" in _probe(services["postgres"])
    assert "ping" in _probe(services["redis"])


def test_http_is_served_by_gunicorn_sync_workers(services):
    command = _command(services["web"])
    assert command.startswith("gunicorn civicplatform.wsgi:application")
    # Sync workers, as measured in docs/BENCHMARKS.md.
    assert "--worker-class" not in command
    assert " -k " not in command
    assert "--bind 0.0.0.0:8000" in command


def test_websockets_are_served_by_uvicorn_with_uvloop_and_httptools(services):
    command = _command(services["ws"])
    assert command.startswith("uvicorn civicplatform.asgi:application")
    assert "--loop uvloop" in command
    assert "--http httptools" in command
    assert "--port 8001" in command
    assert "--proxy-headers" in command
    # Persistent connections leak under ASGI; the HTTP service keeps the default.
    assert services["ws"]["environment"]["DJANGO_DB_CONN_MAX_AGE"] == "0"
    assert "DJANGO_DB_CONN_MAX_AGE" not in services["web"]["environment"]


def test_celery_runs_one_worker_service_and_one_beat(services):
    assert _command(services["worker"]).startswith("celery -A civicplatform worker")
    assert _command(services["beat"]).startswith("celery -A civicplatform beat")


def test_migrations_run_once_before_every_app_process(services):
    assert _command(services["migrate"]) == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


@pytest.mark.parametrize(("name", "port"), [("web", 8000), ("ws", 8001)])
def test_http_services_are_probed_on_healthz_and_only_published_on_loopback(services, name, port):
    probe = _probe(services[name])
    assert f"http://127.0.0.1:{port}/healthz" in probe
    # The production settings redirect plain HTTP and refuse unknown hosts: the probe speaks as the proxy.
    assert "X-Forwarded-Proto" in probe
    assert "DJANGO_ALLOWED_HOSTS" in probe
    assert services[name]["ports"] == [f"127.0.0.1:{port}:{port}"]


def test_every_app_process_uses_the_production_settings_and_the_compose_services(services):
    for name in (*APP_SERVICES, "migrate"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "civicplatform.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://civic:")
        assert environment["DATABASE_URL"].endswith("@postgres:5432/civic")
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert services[name]["env_file"] == ".env"


def test_the_image_runs_as_an_unprivileged_user_with_static_files_collected():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    assert "pip install -r requirements.txt" in dockerfile
    assert "manage.py collectstatic" in dockerfile
    # The throw-away build secret is given to the RUN step only, never baked in with ENV.
    instructions = dockerfile.replace("\\\n", " ").splitlines()
    env_lines = " ".join(line for line in instructions if line.startswith("ENV "))
    assert "DJANGO_SETTINGS_MODULE=civicplatform.settings.production" in env_lines
    assert "DJANGO_SECRET_KEY" not in env_lines
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}
    assert dockerfile.index("USER ") < dockerfile.index("CMD ")


def test_the_build_context_leaves_out_secrets_and_local_state():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".env", "var"} <= ignored


def test_the_servers_the_compose_file_starts_are_pinned_requirements():
    pinned = {line.split("==")[0].lower() for line in (ROOT / "requirements.txt").read_text().splitlines()}
    assert {"gunicorn", "uvicorn", "uvloop", "httptools", "celery"} <= pinned


def test_uploads_and_private_files_live_on_volumes_shared_by_web_and_worker(services, compose):
    for name in ("web", "ws", "worker"):
        environment = services[name]["environment"]
        mounts = dict(volume.split(":")[::-1] for volume in services[name]["volumes"])
        assert mounts[environment["MEDIA_ROOT"]] == "media", name
        assert mounts[environment["PRIVATE_MEDIA_ROOT"]] == "private", name
    assert {"media", "private", "pgdata", "redisdata"} <= set(compose["volumes"])
