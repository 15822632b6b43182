from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicplatform.notifications import services
from civicplatform.notifications.models import Delivery, DeliveryStatus, DigestRun, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "recipient", "created_at", "read_at"]
    list_filter = ["kind"]
    date_hierarchy = "created_at"
    raw_id_fields = ["recipient", "actor"]
    readonly_fields = ["public_id", "created_at", "read_at", "target_type", "target_id"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Operations view of outgoing e-mails: spot a failing relay and send failed e-mails again."""

    list_display = ["notification", "channel", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["notification"]
    raw_id_fields = ["notification", "digest_run"]
    readonly_fields = ["attempts", "last_error", "sent_at", "created_at"]
    actions = ["retry_failed"]

    @admin.action(description=_("Send the selected failed e-mails again"))
    def retry_failed(self, request, queryset):
        failed = list(queryset.filter(status=DeliveryStatus.FAILED))
        for delivery in failed:
            services.delivery_retry(delivery=delivery)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", len(failed))
            % {"count": len(failed)},
            messages.SUCCESS,
        )


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["user", "date", "item_count", "sent_at"]
    date_hierarchy = "date"
    raw_id_fields = ["user"]
