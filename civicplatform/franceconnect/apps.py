from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FranceConnectConfig(AppConfig):
    name = "civicplatform.franceconnect"
    label = "franceconnect"
    verbose_name = _("FranceConnect")

    def ready(self) -> None:
        from civicplatform.core.registry import register_erasure_hook, register_personal_data
        from civicplatform.franceconnect import checks  # noqa: F401  (registers the settings check)
        from civicplatform.franceconnect.personal_data import erase_identity, export_identity

        register_personal_data("franceconnect.identity", export_identity)
        register_erasure_hook("franceconnect.identity", erase_identity)
