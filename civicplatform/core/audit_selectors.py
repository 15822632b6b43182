from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from civicplatform.core.models import AuditEvent


def audit_events(
    *,
    action: str = "",
    actor: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit rows matching the staff filters, newest first, with everything the
    list and the export show loaded in the same query.

    Dates are days in the municipality's time zone, both ends included.
    """
    events = AuditEvent.objects.select_related("actor", "on_behalf_of", "target_type")
    if action:
        events = events.filter(action__startswith=action.strip())
    if actor:
        needle = actor.strip()
        events = events.filter(Q(actor__pseudonym__icontains=needle) | Q(actor__email__icontains=needle))
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events.order_by("-created_at", "-id")


def audit_filters_as_data(cleaned: dict[str, Any]) -> dict[str, str]:
    """The filters of an export, for the export's own audit row."""
    return {key: str(value) for key, value in cleaned.items() if value}
