"""Celery tasks: fetch by id, call a service, retry on mail-server errors.

Celery with Redis may deliver a task twice (visibility timeout, lost worker);
the services these tasks call are idempotent, so a duplicate sends nothing.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from celery import shared_task
from django.utils import timezone

from civicplatform.notifications import retention, selectors, services

logger = logging.getLogger(__name__)

MAX_RETRIES = 5
# Mail-server trouble: refused, timed out, unreachable. Anything else is a bug and should fail loudly.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def retry_countdown(retries: int) -> int:
    """1, 2, 4, 8, 16 minutes: enough for a relay to come back without hammering it."""
    return 60 * 2**retries


def _is_last_attempt(task) -> bool:
    # Run eagerly (no broker), a retry would never be scheduled: fail now, visibly, and let
    # staff queue the e-mail again from the admin once the relay is back.
    return task.request.is_eager or task.request.retries >= task.max_retries


@shared_task(bind=True, name="notifications.delivery_send", max_retries=MAX_RETRIES, acks_late=True)
def delivery_send(self, delivery_id: int) -> str:
    try:
        return services.delivery_send(delivery_id=delivery_id)
    except MAIL_ERRORS as exc:
        final = _is_last_attempt(self)
        services.delivery_record_failure(delivery_id=delivery_id, error=repr(exc), final=final)
        if final:
            logger.error("Giving up e-mail delivery %s after %s attempts: %r", delivery_id, self.request.retries, exc)
            return "failed"
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc


@shared_task(bind=True, name="notifications.digest_send", max_retries=MAX_RETRIES, acks_late=True)
def digest_send(self, user_id: int, day: str) -> str:
    try:
        return services.digest_send(user_id=user_id, day=datetime.date.fromisoformat(day))
    except MAIL_ERRORS as exc:
        if _is_last_attempt(self):
            logger.error("Giving up daily summary of user %s for %s: %r", user_id, day, exc)
            return "failed"
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc


@shared_task(name="notifications.digest_send_daily")
def digest_send_daily() -> int:
    """Beat, once a day: queue one summary per person with pending items (one task each,
    so one failing address does not hold up the others)."""
    day = timezone.localdate().isoformat()
    user_ids = selectors.digest_users_pending()
    for user_id in user_ids:
        digest_send.delay(user_id, day)
    return len(user_ids)


@shared_task(name="notifications.retention_enforce")
def retention_enforce() -> dict[str, int]:
    """Beat, once a day: delete personal data past its retention period, for every registered purpose."""
    return retention.retention_enforce()
