from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from civicplatform.core import registry
        from civicplatform.notifications.retention import register_purpose

        from . import checks, personal_data, receivers, selectors  # noqa: F401 - checks and receivers register themselves
        from .models import Petition
        from .services import _common, privacy

        registry.register_nav_section(
            registry.NavSection(key="petitions", label=_("Petitions"), url_name="petitions:index", order=20)
        )
        registry.register_featured_provider("petitions", selectors.featured_petitions)
        for capability in ("followable", "commentable", "reportable"):
            registry.register_capability(capability, Petition)
        registry.register_personal_data("petitions.petitions", personal_data.export_petitions)
        registry.register_personal_data("petitions.signatures", personal_data.export_signatures)
        registry.register_erasure_hook("petitions.signatures", personal_data.erase_signatures)
        register_purpose("petition_signatures", _("Signers of closed petitions"), privacy.signatures_anonymise)
        _common.register_notification_kinds()
