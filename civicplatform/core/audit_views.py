"""The audit log, for municipal staff: read it, filter it, export it.

staff_required applies the back office's rule (logged in, staff, two-factor
authentication set up); the named permissions then say who may read and export.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from civicplatform.accounts.decorators import staff_required
from civicplatform.core.audit_forms import AuditFilterForm
from civicplatform.core.audit_selectors import audit_events, audit_filters_as_data
from civicplatform.core.models import AuditEvent
from civicplatform.core.services import audit_record

PER_PAGE = 50
CSV_HEADER = [
    "date",
    "action",
    "actor_id",
    "actor",
    "on_behalf_of_id",
    "on_behalf_of",
    "target_type",
    "target_id",
    "reason",
    "data",
]


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _render_log(request: HttpRequest, form: AuditFilterForm, *, status: int = 200) -> HttpResponse:
    events = audit_events(**form.cleaned_data) if form.is_valid() else AuditEvent.objects.none()
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_export": request.user.has_perm("core.export_audit_log"),
    }
    return render(request, "core/audit_log.html", context, status=status)


@staff_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every recorded civic and staff action, newest first, filtered and paginated."""
    _require(request, "core.view_audit_log")
    form = AuditFilterForm(request.GET)
    return _render_log(request, form, status=200 if form.is_valid() else 400)


class _Echo:
    """csv.writer target that hands each line back instead of buffering it."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet would run a cell starting with these as a formula (CSV injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _csv_rows(events: Any) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    # BOM and semicolons: what spreadsheet software set to French expects.
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for event in events.iterator(chunk_size=1000):
        yield writer.writerow(
            [
                _cell(timezone.localtime(event.created_at).isoformat()),
                _cell(event.action),
                _cell(event.actor_id),
                _cell(event.actor.public_name if event.actor else ""),
                _cell(event.on_behalf_of_id),
                _cell(event.on_behalf_of.public_name if event.on_behalf_of else ""),
                _cell(f"{event.target_type.app_label}.{event.target_type.model}" if event.target_type else ""),
                _cell(event.target_id),
                _cell(event.reason),
                _cell(json.dumps(event.data, ensure_ascii=False, sort_keys=True) if event.data else ""),
            ]
        )


@staff_required
@require_GET
def audit_log_export(request: HttpRequest) -> HttpResponse:
    """The filtered rows as CSV, streamed. The export is itself recorded in the log."""
    _require(request, "core.export_audit_log")
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return _render_log(request, form, status=400)
    audit_record(action="core.audit_export", actor=request.user, data=audit_filters_as_data(form.cleaned_data))
    filename = f"journal-audit-{timezone.localdate():%Y%m%d}.csv"
    rows = _csv_rows(audit_events(**form.cleaned_data))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
