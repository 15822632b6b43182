"""Celery tasks: thin wrappers that call services (safe to run twice)."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="juries.selection_compute", time_limit=3 * 3600, soft_time_limit=3 * 3600 - 60)
def selection_compute(run_id: int) -> str:
    try:
        return services.selection_compute(run_id=run_id).status
    except Exception:
        # The service has marked the run failed with the reason, shown to staff on the run page
        # (who may start again); retrying a deterministic solver failure would only repeat it.
        logger.exception("Selection %s failed", run_id)
        return "failed"


@shared_task(name="juries.selection_notify", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def selection_notify(run_id: int, base_url: str) -> int:
    return services.selection_notify(run_id=run_id, base_url=base_url)
