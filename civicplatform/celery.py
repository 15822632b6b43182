"""Celery bootstrap: reads CELERY_* settings, discovers each app's tasks.py."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicplatform.settings.production")

app = Celery("civicplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
