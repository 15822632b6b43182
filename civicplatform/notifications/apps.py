from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civicplatform.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from civicplatform.notifications import kinds, receivers, retention, services

        kinds.register_core_kinds()
        retention.register_purpose(
            "notifications", _("Notifications and their e-mail deliveries"), services.notifications_purge
        )
        receivers.connect_moderation_signals()
