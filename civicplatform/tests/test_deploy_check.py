"""The production settings pass Django's deployment checklist, with a realistic environment.

Each test starts a fresh interpreter: the production settings refuse to load
without secrets, and must not leak into the test process's own settings.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="civicplatform.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        VERIFICATION_HMAC_KEY=secrets.token_urlsafe(32),
        ALTCHA_HMAC_KEY=secrets.token_urlsafe(32),
        PETITIONS_IDENTITY_KEY=secrets.token_urlsafe(32),
        DATABASE_URL="postgres://civic:secret@127.0.0.1:5432/civic",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DJANGO_ALLOWED_HOSTS="participer.example.fr",
        SITE_URL="https://participer.example.fr",
        CIVIC_VAR_DIR=str(tmp_path),
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_a_single_warning(production_env):
    result = _manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_SECRET_KEY", "too-short", "DJANGO_SECRET_KEY must be set to at least 50"),
        ("VERIFICATION_HMAC_KEY", "", "VERIFICATION_HMAC_KEY must be set"),
        ("DJANGO_SECURE_SSL_REDIRECT", "perhaps", "DJANGO_SECURE_SSL_REDIRECT must be a boolean"),
    ],
)
def test_production_refuses_to_start_with_a_bad_environment(production_env, variable, value, message):
    production_env[variable] = value
    result = _manage(production_env, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_behind_the_proxy_rate_limits_key_on_the_visitor_not_the_proxy(production_env):
    production_env["DJANGO_CLIENT_IP_HEADER"] = "X-Real-IP"
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import RequestFactory\n"
        "proxied = RequestFactory().get('/', REMOTE_ADDR='10.0.0.2', HTTP_X_REAL_IP='203.0.113.7')\n"
        "probe = RequestFactory().get('/healthz', REMOTE_ADDR='127.0.0.1')\n"
        "print(settings.RATELIMIT_IP_META_KEY(proxied), settings.AXES_CLIENT_IP_CALLABLE(proxied),\n"
        "      settings.RATELIMIT_IP_META_KEY(probe), settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=production_env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["203.0.113.7", "203.0.113.7", "127.0.0.1", "X-Real-IP"]
