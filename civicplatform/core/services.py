from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from civicplatform.core.models import AuditEvent


def audit_record(
    *,
    action: str,
    actor: models.Model | None = None,
    target: models.Model | None = None,
    on_behalf_of: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row to the audit log. Call it inside the action's transaction."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        on_behalf_of=on_behalf_of,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        reason=reason,
        data=data or {},
    )


def audit_log_purge(cutoff: datetime) -> int:
    """Delete audit rows older than `cutoff` (retention), the only deletion the log allows.

    Must run inside a transaction: on PostgreSQL the append-only trigger lets
    deletes through only while `civicplatform.audit_purge` is set for it.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL civicplatform.audit_purge = 'on'")
        table = AuditEvent._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE created_at < %s", [cutoff])  # noqa: S608 - table name is ours
        return cursor.rowcount
