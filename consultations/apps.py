from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from civicplatform.core import registry

        from . import personal_data, selectors
        from .models import Statement, TextAnswer

        registry.register_nav_section(
            registry.NavSection(key="consultations", label=_("Consultations"), url_name="consultations:index", order=30)
        )
        registry.register_featured_provider("consultations", selectors.featured_consultations)
        registry.register_capability("reportable", TextAnswer)
        registry.register_capability("reportable", Statement)
        registry.register_personal_data("consultations.responses", personal_data.export_responses)
        registry.register_personal_data("consultations.statements", personal_data.export_statements)
        registry.register_erasure_hook("consultations", personal_data.erase)
