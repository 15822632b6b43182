"""One module per participation app: the datasets it publishes (see opendata.registry).

`register_installed()` imports the provider of each installed app, so a platform
without petitions (say) simply has no petition datasets.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

# app name (as in INSTALLED_APPS) -> provider module
PROVIDERS = {
    "budgets": "opendata.providers.budgets",
    "petitions": "opendata.providers.petitions",
    "forums": "opendata.providers.forums",
    "consultations": "opendata.providers.consultations",
    "consultations.juries": "opendata.providers.juries",
    # Core: votes through civicplatform.ballots outside budgets (local votes, juries).
    "civicplatform.ballots": "opendata.providers.ballots",
}


def register_installed() -> None:
    for label, module in PROVIDERS.items():
        if apps.is_installed(label):
            import_module(module).register()
