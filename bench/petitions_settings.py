"""Production settings for `python -m bench.petitions`: static files without the manifest
(the benchmark posts forms and follows no asset), everything else as deployed."""

from __future__ import annotations

from civicplatform.settings.production import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
