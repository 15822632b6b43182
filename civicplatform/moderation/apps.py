from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "civicplatform.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from civicplatform.core import registry
        from civicplatform.moderation import personal_data

        registry.register_personal_data("moderation.reports", personal_data.reports_export)
        registry.register_personal_data("moderation.block", personal_data.block_export)
        registry.register_personal_data("moderation.moderator_assignments", personal_data.assignments_export)
        registry.register_erasure_hook("moderation", personal_data.erase)
