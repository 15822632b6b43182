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
        self.connect_ballot_cache()

    def connect_ballot_cache(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import Budget, BudgetPhase, BudgetProcess, Project
        from .voting.selectors import ballot_cache_clear

        for model in (BudgetProcess, BudgetPhase, Budget, Project):
            for signal in (post_save, post_delete):
                signal.connect(ballot_cache_clear, sender=model, dispatch_uid=f"budgets-ballot-cache-{model.__name__}")
        m2m_changed.connect(
            ballot_cache_clear,
            sender=BudgetProcess.restricted_districts.through,
            dispatch_uid="budgets-ballot-cache-districts",
        )
