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

        from . import personal_data, rules, selectors  # noqa: F401 - rules register themselves

        registry.register_nav_section(
            registry.NavSection(key="juries", label=_("Citizen juries"), url_name="juries:index", order=40)
        )
        registry.register_featured_provider("juries", selectors.featured_juries)
        registry.register_personal_data("juries.registrations", personal_data.export_registrations)
        registry.register_erasure_hook("juries.registrations", personal_data.erase_registrations)
        register_purpose("jury_volunteers", _("Volunteers of citizen juries"), personal_data.volunteers_purge)
