"""Retention of personal data, per purpose (GDPR art. 5(1)(e): storage limitation).

Each app that keeps personal data for a purpose registers a purge function
from AppConfig.ready(); the number of days comes from settings.RETENTION_DAYS
and is justified in docs/PRIVACY-REGISTER.md. The daily beat task
`retention_enforce` calls every purge with its cutoff:

    register_purpose("data_exports", _("Personal data exports"), purge_old_exports)

    def purge_old_exports(cutoff: datetime) -> int:
        # delete what is older than `cutoff`, return how many records went
        ...

A purge decides what its cutoff is compared with (creation, sending, closing
date); the register says which for each purpose.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import checks
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from civicplatform.core.services import audit_record

logger = logging.getLogger(__name__)

Purge = Callable[[datetime], int]


@dataclass(frozen=True)
class RetentionPurpose:
    key: str
    label: str | Promise
    purge: Purge


_purposes: dict[str, RetentionPurpose] = {}


def register_purpose(key: str, label: str | Promise, purge: Purge) -> RetentionPurpose:
    purpose = RetentionPurpose(key=key, label=label, purge=purge)
    _purposes[key] = purpose
    return purpose


def unregister_purpose(key: str) -> None:
    _purposes.pop(key, None)


def purposes() -> list[RetentionPurpose]:
    return sorted(_purposes.values(), key=lambda purpose: purpose.key)


def retention_cutoff(*, purpose: str, now: datetime | None = None) -> datetime:
    """Records of `purpose` older than this moment must be gone."""
    days = settings.RETENTION_DAYS[purpose]
    return (now or timezone.now()) - timedelta(days=days)


class RetentionError(RuntimeError):
    pass


def retention_enforce(*, now: datetime | None = None) -> dict[str, int]:
    """Run every registered purge with its cutoff; return the number of records removed per purpose.

    Each purpose runs in its own transaction, so one failing purge does not keep
    the others' data past its limit; failures are raised together at the end so
    the task shows as failed. A purge that removed something leaves an audit row
    (accountability, GDPR art. 5(2)).
    """
    now = now or timezone.now()
    removed: dict[str, int] = {}
    failed: list[str] = []
    for purpose in purposes():
        try:
            cutoff = retention_cutoff(purpose=purpose.key, now=now)
            with transaction.atomic():
                count = int(purpose.purge(cutoff))
                if count:
                    audit_record(
                        action="retention.purge",
                        reason=str(purpose.label),
                        data={"purpose": purpose.key, "cutoff": cutoff.isoformat(), "removed": count},
                    )
        except Exception:
            logger.exception("Retention purge failed for purpose %s", purpose.key)
            failed.append(purpose.key)
            continue
        removed[purpose.key] = count
        logger.info("Retention: %s record(s) removed for purpose %s (cutoff %s)", count, purpose.key, cutoff)
    if failed:
        raise RetentionError(f"Retention purge failed for: {', '.join(failed)} (others ran: {removed})")
    return removed


@checks.register(checks.Tags.compatibility)
def check_retention_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every registered purpose needs a retention period, or its data would be kept for ever."""
    configured = getattr(settings, "RETENTION_DAYS", {})
    errors: list[checks.CheckMessage] = []
    for purpose in purposes():
        days = configured.get(purpose.key)
        if days is None:
            errors.append(
                checks.Error(
                    f"No retention period for purpose {purpose.key!r}.",
                    hint=f"Add RETENTION_DAYS[{purpose.key!r}] to the settings and document it in "
                    "docs/PRIVACY-REGISTER.md.",
                    id="notifications.E001",
                )
            )
        elif not isinstance(days, int) or days < 0:
            errors.append(
                checks.Error(
                    f"RETENTION_DAYS[{purpose.key!r}] must be a whole number of days >= 0, got {days!r}.",
                    id="notifications.E002",
                )
            )
    return errors
