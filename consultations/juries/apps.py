from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "consultations.juries"
    label = "juries"
    verbose_name = _("Citizen juries")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from civicplatform.core import registry
        from civicplatform.notifications.retention import register_purpose

        from . import (  # noqa: F401 - rules register
            personal_data,
            receivers,
            rules,
            selectors,
            services_recommendations,
            services_workspace,
        )
        from .models import Jury

        registry.register_nav_section(
            registry.NavSection(key="juries", label=_("Citizen juries"), url_name="juries:index", order=40)
        )
        registry.register_featured_provider("juries", selectors.featured_juries)
        # A jury can be followed: its report, the authority's responses and progress are notified (receivers.py).
        registry.register_capability("followable", Jury)
        services_workspace.register_notification_kinds()
        services_recommendations.register_notification_kinds()
        receivers.register_notification_kinds()
        for key, exporter in (
            ("juries.registrations", personal_data.export_registrations),
            ("juries.seats", personal_data.export_seats),
            ("juries.expert_questions", personal_data.export_expert_questions),
            ("juries.recommendations", personal_data.export_recommendations),
        ):
            registry.register_personal_data(key, exporter)
        registry.register_erasure_hook("juries.registrations", personal_data.erase_registrations)
        registry.register_erasure_hook("juries.workspace", personal_data.erase_workspace)
        registry.register_erasure_hook("juries.recommendations", personal_data.erase_recommendations)
        register_purpose("jury_volunteers", _("Volunteers of citizen juries"), personal_data.volunteers_purge)
