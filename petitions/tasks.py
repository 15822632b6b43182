"""Celery tasks: thin wrappers that call services (safe to run twice)."""

from __future__ import annotations

from celery import shared_task

from .services import abuse, counting, lifecycle, signing


@shared_task(name="petitions.counts_fold")
def counts_fold(petition_ids: list[int] | None = None) -> dict[int, int]:
    return counting.counts_fold(petition_ids=petition_ids)


@shared_task(name="petitions.close_expired")
def close_expired() -> int:
    return lifecycle.petitions_close_expired()


@shared_task(name="petitions.flag_trending")
def flag_trending() -> int:
    return len(abuse.trending_flag())


@shared_task(name="petitions.send_confirmation", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def signature_send_confirmation(signature_id: int) -> str:
    return signing.signature_send_confirmation(signature_id=signature_id)


@shared_task(name="petitions.send_confirmations", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def confirmations_send() -> int:
    return signing.confirmations_send()


@shared_task(name="petitions.send_response", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def response_send_to_signers(petition_id: int) -> int:
    return lifecycle.response_send_to_signers(petition_id=petition_id)
