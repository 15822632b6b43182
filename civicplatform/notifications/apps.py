from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civicplatform.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from civicplatform.core import registry
        from civicplatform.notifications import kinds, personal_data, receivers, retention, services

        kinds.register_core_kinds()
        registry.register_personal_data("notifications.notifications", personal_data.notifications_export)
        registry.register_personal_data("notifications.preferences", personal_data.preferences_export)
        registry.register_personal_data("notifications.follows", personal_data.follows_export)
        registry.register_erasure_hook("notifications", personal_data.erase)
        retention.register_purpose(
            "notifications", _("Notifications and their e-mail deliveries"), services.notifications_purge
        )
        # The audit log is core's, but its retention runs with the others here.
        from civicplatform.core.services import audit_log_purge

        retention.register_purpose("audit_log", _("Audit log of civic and staff actions"), audit_log_purge)
        receivers.connect_moderation_signals()
