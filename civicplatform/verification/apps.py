from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "civicplatform.verification"
    label = "verification"
    verbose_name = _("Resident verification")

    def ready(self) -> None:
        from civicplatform.core.registry import register_erasure_hook, register_personal_data
        from civicplatform.notifications.retention import register_purpose
        from civicplatform.verification import receivers  # noqa: F401
        from civicplatform.verification.privacy import EXPORTERS, erase_verification_data, purge_letter_addresses

        for key, exporter in EXPORTERS.items():
            register_personal_data(key, exporter)
        register_erasure_hook("verification", erase_verification_data)
        register_purpose("verification_letters", _("Addresses for letters with a code"), purge_letter_addresses)
