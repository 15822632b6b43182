"""Local development: `make run`. Embedded defaults unless DATABASE_URL / REDIS_URL are set."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, SECRET_KEY, VAR_DIR, VERIFICATION_HMAC_KEY, env_bool, env_str

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"  # noqa: S105
VERIFICATION_HMAC_KEY = VERIFICATION_HMAC_KEY or "dev-only-verification-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "0.0.0.0"]  # noqa: S104

# daphne makes `runserver` an ASGI server, so live threads work in `make run`.
INSTALLED_APPS = ["daphne", *INSTALLED_APPS]

# Outgoing mail is written as files a newcomer can open to click confirmation links.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The project map loads OpenStreetMap France tiles in development (off by default elsewhere).
MAP_ENABLED = env_bool("MAP_ENABLED", True)
