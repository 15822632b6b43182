from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "civicplatform.ballots"
    label = "ballots"
    verbose_name = _("Secret ballots")

    def ready(self) -> None:
        from civicplatform.ballots.personal_data import participations_export
        from civicplatform.core.registry import register_personal_data

        register_personal_data("ballots.participations", participations_export)
