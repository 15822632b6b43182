"""Fixtures for the accounts tests: isolated rate-limit cache, private storage, helpers."""

from __future__ import annotations

import uuid

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from civicplatform.accounts.tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _isolated_cache_and_storage(settings, tmp_path):
    # allauth keeps rate-limit counters in the cache: each test gets an empty one,
    # without flushing the Redis other test runs share.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"accounts-{uuid.uuid4()}"}
    }
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def login(client):
    """Log in through allauth's form, as a person would (so django-axes and signals see it)."""

    def _login(email: str, password: str = PASSWORD, **extra):
        return client.post("/comptes/login/", {"login": email, "password": password, **extra})

    return _login


def totp_now(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def with_totp():
    """Give a user an authenticator app; returns its secret."""

    def _with_totp(user) -> str:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret

    return _with_totp
