"""Celery tasks: thin wrappers that fetch by id and call a service."""

from __future__ import annotations

from celery import shared_task

from civicplatform.accounts import services


@shared_task(ignore_result=True)
def data_export_build(export_id: int) -> None:
    services.data_export_build(export_id=export_id)


@shared_task(ignore_result=True)
def data_export_purge_expired() -> None:
    services.data_export_purge_expired()
