"""Load the demo commune: idempotent, so `make run` can call it every time.

Each app that has demo content exposes `load_demo(stdout)` in a `demo` module
listed in DEMO_LOADERS, in dependency order; a loader returns quickly when its
content is already there.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create (or complete) the demo municipality, its pages and demo accounts."

    def handle(self, *args, **options) -> None:
        for module_name in settings.DEMO_LOADERS:
            with transaction.atomic():
                import_module(module_name).load_demo(self.stdout)
