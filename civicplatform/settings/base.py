"""Settings shared by every environment.

Everything is read here; dev.py, test.py and production.py only override.
Without DATABASE_URL / REDIS_URL the platform runs on embedded defaults
(SQLite, local-memory cache, in-memory channel layer, eager Celery) so that a
newcomer needs no server. With them it runs in its production shape.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from civicplatform.env import env_bool, env_int, env_list, env_secret, env_str

# ------------------------------------------------------------------------------
# PATHS
# ------------------------------------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("CIVIC_VAR_DIR", str(BASE_DIR / "var")))

# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ROOT_URLCONF = "civicplatform.urls"
WSGI_APPLICATION = "civicplatform.wsgi.application"
ASGI_APPLICATION = "civicplatform.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

# ------------------------------------------------------------------------------
# INTERNATIONALISATION: French first, English second
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "civic_language"

# ------------------------------------------------------------------------------
# DATABASES
# ------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # WAL and a busy timeout let the dev server, Celery (eager) and a
            # browser test share the file without "database is locked".
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

# ------------------------------------------------------------------------------
# REDIS: cache, channel layer, Celery broker
# ------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Django's Redis backend, reusing one client per pool (civicplatform/core/cache.py).
    CACHES = {"default": {"BACKEND": "civicplatform.core.cache.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read from Redis and written to both: a logged-in request no longer
    # queries PostgreSQL for its session, and a flushed or evicted cache loses none.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "capacity": 1500, "expiry": 30},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# ------------------------------------------------------------------------------
# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "axes",
    "channels",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",  # serves the API docs' assets locally (opendata)
]
LOCAL_APPS = [
    "civicplatform.core",
    "civicplatform.territory",
    "civicplatform.accounts",
    "civicplatform.moderation",
    "civicplatform.notifications",
    "civicplatform.verification",
    "civicplatform.franceconnect",
    "civicplatform.ballots",
    "forums",
    "budgets",
    "petitions",
    "consultations.juries",
    "consultations",
    "opendata",
    "cms",
    "frontend",
]
# Local apps first: their templates override allauth's and Wagtail's, and their
# translations take precedence over Django's own for the same English text.
INSTALLED_APPS = LOCAL_APPS + DJANGO_APPS + THIRD_PARTY_APPS

# ------------------------------------------------------------------------------
# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses locked-out credentials before any backend checks them.
    "axes.backends.AxesStandaloneBackend",
    # django-rules: object permissions declared in each app's rules.py
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: e-mail is the login, and it must be confirmed.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {
    "signup": "10/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "1/3m/key",
    "login_failed": "10/m/ip,5/5m/key",
    "change_email": "5/h/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
SOCIALACCOUNT_ONLY = False

# django-axes: lock an account/IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "login"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_VERBOSE = False

# ------------------------------------------------------------------------------
# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civicplatform.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "opendata.visits.VisitCounterMiddleware",
]

# ------------------------------------------------------------------------------
# TEMPLATES, STATIC, MEDIA
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "civicplatform.core.context_processors.site_chrome",
            ],
        },
    }
]
FORM_RENDERER = "civicplatform.core.forms.CivicFormRenderer"
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# ------------------------------------------------------------------------------
# E-MAIL
# ------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "participation@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ------------------------------------------------------------------------------
# CELERY: eager without a broker, real workers with Redis
# ------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}

# ------------------------------------------------------------------------------
# WAGTAIL
# ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Participation citoyenne")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt"]

# ------------------------------------------------------------------------------
# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# ------------------------------------------------------------------------------
# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail logs every page action and django-tasks every background task at INFO.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django.channels.server": {"level": "WARNING"},
    },
}

# ------------------------------------------------------------------------------
# PLATFORM
# ------------------------------------------------------------------------------
# Content is hidden automatically after this many distinct people report it.
MODERATION_AUTO_HIDE_REPORTS = env_int("MODERATION_AUTO_HIDE_REPORTS", 3)
# Keyed hashes of census / electoral-list entries: rotate only with a re-import.
VERIFICATION_HMAC_KEY = env_secret("VERIFICATION_HMAC_KEY")
WEBSOCKET_ROUTING_MODULES: list[str] = ["forums.routing"]
# Demo content loaders, in dependency order (see core/management/commands/load_demo.py).
DEMO_LOADERS = [
    "civicplatform.territory.demo",
    "civicplatform.accounts.demo",
    "civicplatform.verification.demo",
    "cms.demo",
    "forums.demo",
    "civicplatform.moderation.demo",
    "budgets.demo",
    "budgets.results.demo",
    "consultations.juries.demo",
    "consultations.juries.demo_response",
    "consultations.demo",
    "petitions.demo",
]

# ------------------------------------------------------------------------------
# ---- franceconnect ----
# ------------------------------------------------------------------------------
# Optional OpenID Connect login shaped for FranceConnect v2 (docs/franceconnect.md).
# Off by default: with the flag off the button is not rendered and the URLs answer 404.
FRANCECONNECT_ENABLED = env_bool("FRANCECONNECT_ENABLED", False)
# Discovery base URL: /.well-known/openid-configuration is appended to it.
FRANCECONNECT_ISSUER = env_str("FRANCECONNECT_ISSUER").rstrip("/")
FRANCECONNECT_CLIENT_ID = env_str("FRANCECONNECT_CLIENT_ID")
FRANCECONNECT_CLIENT_SECRET = env_secret("FRANCECONNECT_CLIENT_SECRET")
FRANCECONNECT_SCOPES = env_str("FRANCECONNECT_SCOPES", "openid given_name family_name email birthdate")
# Minimum eIDAS level: sent as acr_values and checked against the returned acr.
FRANCECONNECT_ACR = env_str("FRANCECONNECT_ACR", "eidas1")
# Seconds to wait for the provider; the whole login stays within a browser redirect.
FRANCECONNECT_HTTP_TIMEOUT = env_int("FRANCECONNECT_HTTP_TIMEOUT", 10)
# Per-IP limit on starting a login and on the provider callback (django-ratelimit syntax).
FRANCECONNECT_RATE_LIMIT = env_str("FRANCECONNECT_RATE_LIMIT", "30/m")

# ------------------------------------------------------------------------------
# ---- notifications ----
# ------------------------------------------------------------------------------
from celery.schedules import crontab  # noqa: E402

# Days personal data is kept, per purpose (GDPR art. 5(1)(e)); each value is justified in
# docs/PRIVACY-REGISTER.md, and counted from the event the purpose names there (creation,
# sending, closing). Apps register a purge per purpose (civicplatform/notifications/retention.py)
# and the daily "retention_enforce" task applies them. A municipality may change one with
# RETENTION_DAYS_<PURPOSE>=<days> in the environment.
_RETENTION_DEFAULTS = {
    "notifications": 365,
    "data_exports": 7,
    "moderation_reports": 365,
    "verification_letters": 0,
    "participation_records": 180,
    "login_attempts": 180,
    "inactive_accounts": 3 * 365,
    "audit_log": 5 * 365,
}
RETENTION_DAYS = {
    purpose: env_int(f"RETENTION_DAYS_{purpose.upper()}", days) for purpose, days in _RETENTION_DEFAULTS.items()
}
# One-click unsubscribe links in e-mails stay valid this long (then the person logs in to change preferences).
NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS = env_int("NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS", 365)
# Anonymous POSTs to the unsubscribe link, per IP (mail providers post from shared addresses: keep it generous).
NOTIFICATIONS_UNSUBSCRIBE_RATE = env_str("NOTIFICATIONS_UNSUBSCRIBE_RATE", "60/m")
CELERY_BEAT_SCHEDULE.update(
    {
        "notifications-daily-digest": {
            "task": "notifications.digest_send_daily",
            "schedule": crontab(hour=env_int("NOTIFICATIONS_DIGEST_HOUR", 7), minute=30),
        },
        "retention-enforce": {
            "task": "notifications.retention_enforce",
            "schedule": crontab(hour=3, minute=15),
        },
    }
)

# ------------------------------------------------------------------------------
# ---- accounts ----
# ------------------------------------------------------------------------------
# Signup asks a public pseudonym and consent (also on social signup); mails read in French.
ACCOUNT_ADAPTER = "civicplatform.accounts.adapter.CivicAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "civicplatform.accounts.forms.SignupExtraForm"
MFA_ADAPTER = "civicplatform.accounts.adapter.CivicMFAAdapter"
# Security notices (password, e-mail or two-factor changes) go to the account's address.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# allauth logs in with `email`; count django-axes failures per account, not per IP alone.
AXES_USERNAME_CALLABLE = "civicplatform.accounts.security.axes_username"
# One login door (allauth: rate limits, second factor); Wagtail's own account
# pages must not change e-mails or passwords around allauth's confirmations.
# Refused logged-in people get a 403 there instead of a login page that sends them back.
WAGTAILADMIN_LOGIN_URL = "accounts:admin_login"
# No avatars fetched from Gravatar: it would send a hash of every e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
MIDDLEWARE += [
    "civicplatform.accounts.middleware.StaffMFAMiddleware",
    "civicplatform.accounts.middleware.FormErrorStatusMiddleware",
]
# Staff must set up an authenticator app before reaching /admin/, /django-admin/
# and these extra path prefixes (staff-only views elsewhere use accounts.decorators.staff_required).
ACCOUNTS_STAFF_MFA_REQUIRED = env_bool("ACCOUNTS_STAFF_MFA_REQUIRED", True)
ACCOUNTS_STAFF_MFA_PATHS: list[str] = env_list("ACCOUNTS_STAFF_MFA_PATHS", [])
# The page with the terms of use and the personal data notice, linked from the signup form.
ACCOUNTS_TERMS_URL = env_str("ACCOUNTS_TERMS_URL", "/donnees-personnelles/")
# Files that must never be public (personal data exports): outside MEDIA_ROOT, streamed by views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
CELERY_BEAT_SCHEDULE["accounts-purge-data-exports"] = {
    "task": "civicplatform.accounts.tasks.data_export_purge_expired",
    "schedule": 3600.0,
}

# ---- moderation ----
# How many reports one connection (IP address) may send; anyone may report, even without an account.
MODERATION_REPORT_RATE = env_str("MODERATION_REPORT_RATE", "10/h")

# ------------------------------------------------------------------------------
# ---- cms / frontend ----
# ------------------------------------------------------------------------------
# A failed CSRF check (nearly always an expired form) gets the site's localised 403 page.
CSRF_FAILURE_VIEW = "frontend.views.csrf_failure"
# Page search on PostgreSQL stems French words ("participer" finds "participation").
# After changing it on an existing database, run `manage.py update_index`.
WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french"

# ------------------------------------------------------------------------------
# ---- budgets ----
# ------------------------------------------------------------------------------
# Map of budget projects (Leaflet, vendored in frontend/static/vendor/leaflet). The tile
# server sees each visitor's address, so the map is off unless enabled; the list of
# projects under the map is always there and says the same.
MAP_ENABLED = env_bool("MAP_ENABLED", False)
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env_str(
    "MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>,'
    " tuiles OpenStreetMap France",
)
# Photos residents attach to a project idea: largest accepted file, in bytes.
BUDGETS_PHOTO_MAX_BYTES = env_int("BUDGETS_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
# Project ideas one person may submit (django-ratelimit syntax).
BUDGETS_SUBMIT_RATE = env_str("BUDGETS_SUBMIT_RATE", "10/h")
# Seconds each server process keeps a ballot's process, budget and projects in memory (0: off).
# Edits show at once in the process that saved them, within this delay in the others.
BUDGETS_BALLOT_CACHE_SECONDS = env_int("BUDGETS_BALLOT_CACHE_SECONDS", 5)

# ------------------------------------------------------------------------------
# ---- petitions ----
# ------------------------------------------------------------------------------
# Proof-of-work challenge (ALTCHA, self-hosted: no cookie, no third party) on the anonymous
# signature form. Without JavaScript the form still works: the signature is then held for
# review instead of refused (petitions/altcha.py). The HMAC key signs the challenges; when it
# is empty a key derived from SECRET_KEY is used (a deploy check warns).
ALTCHA_ENABLED = env_bool("ALTCHA_ENABLED", True)
ALTCHA_HMAC_KEY = env_secret("ALTCHA_HMAC_KEY")
# PBKDF2 iterations per attempt: about a second of work for a phone, nothing for a person.
ALTCHA_COST = env_int("ALTCHA_COST", 5000)
ALTCHA_CHALLENGE_SECONDS = env_int("ALTCHA_CHALLENGE_SECONDS", 20 * 60)
# Names and addresses given by electors signing an L1112-16 request are stored encrypted with
# this key (Fernet); empty: derived from SECRET_KEY. Rotating it makes older lists unreadable.
PETITIONS_IDENTITY_KEY = env_secret("PETITIONS_IDENTITY_KEY")
# An e-mailed confirmation link works this long.
PETITIONS_CONFIRM_MAX_AGE_DAYS = env_int("PETITIONS_CONFIRM_MAX_AGE_DAYS", 7)
# Hard per-IP limit on anonymous signature POSTs (django-ratelimit syntax), answered with 429:
# it protects the server. The quiet per-petition limits below protect the count.
PETITIONS_SIGN_RATE = env_str("PETITIONS_SIGN_RATE", "60/m")
# Signatures over these limits (per petition, per hour) are accepted but held for review, and
# the person still gets the e-mail: an abuser learns nothing, a real signer loses nothing.
PETITIONS_HOLD_PER_IP_PER_HOUR = env_int("PETITIONS_HOLD_PER_IP_PER_HOUR", 20)
PETITIONS_HOLD_PER_DOMAIN_PER_HOUR = env_int("PETITIONS_HOLD_PER_DOMAIN_PER_HOUR", 200)
# Webmail and ISP domains thousands of residents share: never held or flagged for volume alone.
PETITIONS_COMMON_EMAIL_DOMAINS = env_list(
    "PETITIONS_COMMON_EMAIL_DOMAINS",
    [
        "gmail.com", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "neuf.fr", "laposte.net", "hotmail.com",
        "hotmail.fr", "outlook.com", "outlook.fr", "live.fr", "yahoo.com", "yahoo.fr", "icloud.com", "bbox.fr",
        "proton.me", "protonmail.com", "gmx.fr", "aol.com",
    ],
)  # fmt: skip
# The hourly job reports an IP or a domain to moderators from this many signatures in an hour.
PETITIONS_TRENDING_THRESHOLD = env_int("PETITIONS_TRENDING_THRESHOLD", 50)
# The count shown on a petition page is a COUNT over an index, cached this many seconds.
PETITIONS_COUNT_CACHE_SECONDS = env_int("PETITIONS_COUNT_CACHE_SECONDS", 5)
# Confirmations ask for the stored count (lists, thresholds) to be folded at most this often.
PETITIONS_FOLD_DEBOUNCE_SECONDS = env_int("PETITIONS_FOLD_DEBOUNCE_SECONDS", 5)
# New anonymous signatures ask for their confirmation e-mails to be sent at most this often (one task
# sends all the new ones), and the signature form keeps the petition in memory this long.
PETITIONS_MAIL_DEBOUNCE_SECONDS = env_int("PETITIONS_MAIL_DEBOUNCE_SECONDS", 1)
PETITIONS_SIGNING_CACHE_SECONDS = env_int("PETITIONS_SIGNING_CACHE_SECONDS", 5)
RETENTION_DAYS["petition_signatures"] = env_int("RETENTION_DAYS_PETITION_SIGNATURES", 183)
CELERY_BEAT_SCHEDULE.update(
    {
        "petitions-fold-counts": {"task": "petitions.counts_fold", "schedule": 10.0},
        "petitions-send-confirmations": {"task": "petitions.send_confirmations", "schedule": 30.0},
        "petitions-close-expired": {"task": "petitions.close_expired", "schedule": crontab(minute="*/15")},
        "petitions-flag-trending": {"task": "petitions.flag_trending", "schedule": crontab(minute=10)},
    }
)

# ------------------------------------------------------------------------------
# ---- forums ----
# ------------------------------------------------------------------------------
# Posting limits per person (fixed windows, counted in the shared cache); the text is kept when refused.
FORUMS_COMMENTS_PER_MINUTE = env_int("FORUMS_COMMENTS_PER_MINUTE", 10)
FORUMS_THREADS_PER_HOUR = env_int("FORUMS_THREADS_PER_HOUR", 5)
FORUMS_QUESTIONS_PER_MINUTE = env_int("FORUMS_QUESTIONS_PER_MINUTE", 3)
# Live threads send one message per event to each server process following the thread, whose hub
# (forums/consumers.py) hands it to its viewers in memory. Redis pub/sub carries it without the
# default layer's blocking reads, which timed out under load with 2,000 viewers on one thread:
# docs/BENCHMARKS.md, "Forums". Pages catch up on anything missed.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }

# ------------------------------------------------------------------------------
# ---- opendata ----
# ------------------------------------------------------------------------------
# Published counts from 1 to this minus one are left empty (statistical secrecy: a cell of one
# or two people of a district on a day can point at a person).
OPENDATA_MIN_COUNT = env_int("OPENDATA_MIN_COUNT", 5)
# Datasets and API answers are cached this long (0: not cached).
OPENDATA_CACHE_SECONDS = env_int("OPENDATA_CACHE_SECONDS", 300)
# Public API: requests per minute and per address.
OPENDATA_API_RATE = env_str("OPENDATA_API_RATE", "120/m")
# The impact dashboards read summary tables that this task refreshes.
CELERY_BEAT_SCHEDULE["opendata-impact-compute"] = {"task": "opendata.impact_compute", "schedule": crontab(minute=20)}

# ------------------------------------------------------------------------------
# ---- juries ----
# ------------------------------------------------------------------------------
# Volunteers' names and contact details, and the invited addresses, are wiped this long after the
# jury's last phase ends (the published draw files only ever hold pseudonyms).
RETENTION_DAYS["jury_volunteers"] = env_int("RETENTION_DAYS_JURY_VOLUNTEERS", 180)
# Votes on recommendations close at their closing time: pages close a due vote when they read it,
# this task closes the others (so statuses and feeds are right even if nobody visits).
CELERY_BEAT_SCHEDULE["juries-recommendation-votes-close"] = {
    "task": "juries.recommendation_votes_close",
    "schedule": 300.0,
}
