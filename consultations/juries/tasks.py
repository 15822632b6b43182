"""Celery tasks: thin wrappers that call services (safe to run twice)."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services, services_workspace

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


@shared_task(name="juries.recommendation_votes_close")
def recommendation_votes_close() -> int:
    """Beat: close and count the votes on recommendations whose closing time has passed."""
    from .services_recommendations import recommendation_votes_close_due

    return recommendation_votes_close_due()


@shared_task(name="juries.workspace_invite_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def workspace_invite_send(registrant_id: int, base_url: str) -> bool:
    return services_workspace.workspace_invite_send(registrant_id=registrant_id, base_url=base_url)
