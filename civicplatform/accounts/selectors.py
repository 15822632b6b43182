"""Reads about accounts: personal data for export, a person's exports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from civicplatform.accounts.models import DataExport, User
from civicplatform.core.registry import personal_data_exporters


def personal_data_collect(*, user: User) -> dict[str, list[dict[str, Any]]]:
    """Everything the registered apps hold about `user`, one list of rows per dataset key."""
    return {key: list(exporter(user)) for key, exporter in personal_data_exporters().items()}


def data_exports_for_user(*, user: User, limit: int = 5) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user).order_by("-created_at")[:limit]


def data_export_get_for_owner(*, user: User, token: str) -> DataExport:
    """The export behind a download link, for its owner only: anyone else gets a 404, not a hint."""
    export = DataExport.objects.filter(token=token, user_id=user.pk).first()
    if export is None:
        raise Http404
    return export
