"""Production: docker-compose and real deployments. Secrets come from the environment."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, VERIFICATION_HMAC_KEY, env_bool, env_int, env_str

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to at least 50 random characters.")
if not VERIFICATION_HMAC_KEY:
    raise ImproperlyConfigured("VERIFICATION_HMAC_KEY must be set: it keys the census hashes.")

DEBUG = False

# ------------------------------------------------------------------------------
# DATABASE CONNECTIONS
# ------------------------------------------------------------------------------
# gunicorn's sync workers reuse one connection each (CONN_MAX_AGE from base.py). Under ASGI
# (the ws service) Django runs each request's sync code in a fresh thread, so a persistent
# connection is never reused and they pile up until PostgreSQL refuses clients: measured in
# docs/BENCHMARKS.md. Django's advice for ASGI is to turn persistence off there.
DATABASES["default"]["CONN_MAX_AGE"] = env_int(  # noqa: F405
    "DJANGO_DB_CONN_MAX_AGE",
    DATABASES["default"].get("CONN_MAX_AGE", 0),  # noqa: F405
)

# ------------------------------------------------------------------------------
# SECURITY
# ------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True

TEMPLATES[0]["OPTIONS"]["loaders"] = [  # noqa: F405
    ("django.template.loaders.cached.Loader", ["django.template.loaders.app_directories.Loader"])
]
TEMPLATES[0]["APP_DIRS"] = False  # noqa: F405

# ------------------------------------------------------------------------------
# CLIENT IP BEHIND THE REVERSE PROXY
# ------------------------------------------------------------------------------
# Rate limits (django-ratelimit, allauth) and lockouts (axes) key on the client's IP.
# Behind the proxy REMOTE_ADDR is the proxy's own address, so every visitor would share
# one quota. Name the header the proxy sets and overwrites (e.g. X-Real-IP) only when the
# app servers cannot be reached except through that proxy: otherwise clients could forge it.
CLIENT_IP_HEADER = env_str("DJANGO_CLIENT_IP_HEADER")
if CLIENT_IP_HEADER:
    _CLIENT_IP_META_KEY = "HTTP_" + CLIENT_IP_HEADER.upper().replace("-", "_")

    def client_ip(request) -> str:
        # Container health probes come from inside the host, without the proxy's header.
        return request.META.get(_CLIENT_IP_META_KEY) or request.META.get("REMOTE_ADDR", "")

    RATELIMIT_IP_META_KEY = client_ip
    AXES_CLIENT_IP_CALLABLE = client_ip
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER = CLIENT_IP_HEADER
