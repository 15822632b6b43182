from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "civicplatform.accounts"
    label = "accounts"

    def ready(self) -> None:
        from civicplatform.accounts import receivers  # noqa: F401
        from civicplatform.accounts.personal_data import EXPORTERS
        from civicplatform.core.registry import register_personal_data

        for key, exporter in EXPORTERS.items():
            register_personal_data(key, exporter)
