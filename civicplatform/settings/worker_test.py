"""Settings of the real Celery worker started by civicplatform/notifications/tests/test_worker.py.

Everything comes from test.py, including DATABASE_URL, which the test points
at the database pytest created, so the worker and the test see the same rows.
Two things differ: tasks go through the Redis broker instead of running
inline, and e-mails are written as files in EMAIL_FILE_PATH for the test to
count.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from civicplatform.env import env_str

from .test import *  # noqa: F403
from .test import REDIS_URL

if not REDIS_URL:
    raise ImproperlyConfigured("The worker test needs REDIS_URL pointing at a reachable Redis.")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
if not EMAIL_FILE_PATH:
    raise ImproperlyConfigured("Set EMAIL_FILE_PATH to the directory where the test reads e-mails.")

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
