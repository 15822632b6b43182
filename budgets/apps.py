from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Participatory budgets")

    def ready(self) -> None:
        from civicplatform.core import registry

        from . import personal_data, selectors, services
        from .models import Project

        registry.register_nav_section(
            registry.NavSection(key="budgets", label=_("Participatory budgets"), url_name="budgets:index", order=10)
        )
        registry.register_featured_provider("budgets", selectors.featured_processes)
        for capability in ("followable", "commentable", "reportable"):
            registry.register_capability(capability, Project)
        registry.register_personal_data("budgets.projects", personal_data.export_projects)
        registry.register_personal_data("budgets.supports", personal_data.export_supports)
        registry.register_erasure_hook("budgets.supports", personal_data.erase_supports)
        services.register_notification_kinds()
