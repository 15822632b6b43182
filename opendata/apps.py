from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from civicplatform.core import registry

        from .providers import register_installed

        registry.register_nav_section(
            registry.NavSection(key="opendata", label=_("Open data"), url_name="opendata:index", order=90)
        )
        register_installed()
