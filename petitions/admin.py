from __future__ import annotations

from django.contrib import admin

from .models import Petition, PetitionConfig, RejectionReason, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "hidden", "order"]


@admin.register(PetitionConfig)
class PetitionConfigAdmin(admin.ModelAdmin):
    list_display = ["municipality", "response_threshold", "debate_threshold", "cosponsors_required"]


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    # Read-only: every change of state goes through the audited pages of the app.
    list_display = ["title", "kind", "status", "signature_count", "published_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "slug"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
