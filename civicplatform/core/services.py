from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

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
