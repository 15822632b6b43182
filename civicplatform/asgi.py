"""ASGI entry point: HTTP goes to Django, websockets to the Channels router.

Apps that push live updates expose `websocket_urlpatterns` in their routing
module and are listed in WEBSOCKET_ROUTING_MODULES; the core imports none of them.
"""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicplatform.settings.production")
django_asgi_app = get_asgi_application()

from importlib import import_module  # noqa: E402

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402


def _websocket_urlpatterns() -> list:
    patterns: list = []
    for module in getattr(settings, "WEBSOCKET_ROUTING_MODULES", []):
        patterns += import_module(module).websocket_urlpatterns
    return patterns


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(_websocket_urlpatterns()))),
    }
)
