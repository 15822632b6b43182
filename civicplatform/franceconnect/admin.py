from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from civicplatform.franceconnect.models import FranceConnectIdentity


@admin.register(FranceConnectIdentity)
class FranceConnectIdentityAdmin(admin.ModelAdmin):
    """Read-only: links are made by the person at login and removed by them or by erasure."""

    list_display = ["user", "acr", "created_at", "last_login_at"]
    list_select_related = ["user"]
    fields = ["user", "acr", "created_at", "last_login_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: FranceConnectIdentity | None = None) -> bool:
        return False
