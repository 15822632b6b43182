"""Reading datasets: the rows as published (suppressed), cached a few minutes."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import translation

from civicplatform.notifications.emails import absolute_url

from . import registry
from .registry import Dataset, Rows
from .suppression import min_count, suppress


def cache_seconds() -> int:
    return int(getattr(settings, "OPENDATA_CACHE_SECONDS", 300))


def dataset_get(key: str) -> Dataset:
    """The registered dataset `key`, or 404."""
    dataset = registry.get_dataset(key)
    if dataset is None:
        raise Http404
    return dataset


def published_rows(dataset: Dataset) -> Rows:
    """The rows of `dataset` as they may be published: small counts suppressed, links absolute.

    Cached for OPENDATA_CACHE_SECONDS: a download, the API and the catalogue each
    read the same rows, and computing a budget result may take a moment."""
    seconds = cache_seconds()
    # Some labels are translated (age bands, "district unknown"): one cache entry per language.
    key = f"opendata:rows:v1:{dataset.key}:{min_count()}:{translation.get_language()}"
    if seconds > 0:
        cached = cache.get(key)
        if cached is not None:
            return cached
    rows = suppress(dataset.rows(), dataset.suppressed, dataset.suppression_groups)
    if "url" in dataset.column_names:
        for row in rows:
            if row.get("url", "").startswith("/"):
                row["url"] = absolute_url(row["url"])
    if seconds > 0:
        cache.set(key, rows, seconds)
    return rows


def extra_files(dataset: Dataset) -> list[registry.ExtraFile]:
    return dataset.extra_files() if dataset.extra_files else []
