# syntax=docker/dockerfile:1
# One image for every production process (web, ws, worker, beat, migrate): see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=civicplatform.settings.production \
    CIVIC_VAR_DIR=/app/var \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private

# An unprivileged user runs every process. The code and collected static files stay
# owned by root (read-only to it); only /data (media and private files) is writable.
RUN groupadd --system --gid 1000 civic \
    && useradd --system --uid 1000 --gid civic --home-dir /app --shell /usr/sbin/nologin civic

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. Every pinned package
# installs from a wheel on x86_64 (pure Python or manylinux; psycopg[binary] included),
# so the slim image needs no compiler.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image (WhiteNoise serves them with hashed names).
# The settings refuse to load without secrets, so a throw-away value is given to this
# one build step only; it is not kept in any layer's environment. Translation catalogues
# (.mo) are committed, so gettext is not needed here.
RUN DJANGO_SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    VERIFICATION_HMAC_KEY="build-only" \
    python manage.py collectstatic --noinput -v0 \
    && mkdir -p /data/media /data/private \
    && chown -R civic:civic /data

USER civic
VOLUME ["/data/media", "/data/private"]
EXPOSE 8000 8001

# The HTTP service; docker-compose.yml gives the other processes their own command.
CMD ["gunicorn", "civicplatform.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
