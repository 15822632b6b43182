from __future__ import annotations

from celery import shared_task


@shared_task(name="opendata.impact_compute")
def impact_compute() -> int:
    """Recompute the dashboards (hourly by beat; staff may ask for it). Safe to run twice."""
    from .services import impact_compute as compute

    return compute().pk
