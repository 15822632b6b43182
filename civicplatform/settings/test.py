"""Test settings: `make test`.

With CI=true the suite must run against the real PostgreSQL and Redis and
fails at start if either is unreachable. Without CI it uses them when they
answer and falls back to the embedded defaults otherwise.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

from civicplatform.env import env_bool

CI = env_bool("CI", False)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 0), timeout=0.5):
            return True
    except OSError:
        return False


def _choose(name: str, default: str) -> None:
    url = os.environ.get(name) or default
    if _reachable(url):
        os.environ[name] = url
    elif CI:
        raise ImproperlyConfigured(f"CI=true but {name} ({url}) is unreachable: start the service.")
    else:
        os.environ.pop(name, None)


_choose("DATABASE_URL", DEFAULT_DATABASE_URL)
_choose("REDIS_URL", DEFAULT_REDIS_URL)

from .base import *  # noqa: E402, F403
from .base import REDIS_URL, VAR_DIR  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
VERIFICATION_HMAC_KEY = "test-verification-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
# Tasks run inline in tests; one dedicated test starts a real worker against Redis.
CELERY_TASK_ALWAYS_EAGER = True
# Tests share one Redis: give each run its own key space so parallel workers never collide.
if REDIS_URL:
    _prefix = f"test-{os.getpid()}"
    CACHES = {
        "default": {
            "BACKEND": "civicplatform.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _prefix,
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": _prefix},
        }
    }
AXES_ENABLED = True
WAGTAILADMIN_BASE_URL = "http://testserver"
# The proof-of-work challenge is exercised by petitions/tests/test_altcha.py only.
ALTCHA_ENABLED = False
