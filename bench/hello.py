"""A bare Django hello-world, the baseline each server is compared against.

It has no middleware, database or templates: the figure it gives is the
ceiling of a server on this machine, not of the platform.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1"],
    SECRET_KEY="bench-hello-world-only",  # noqa: S106 - serves one static string on loopback
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world\n", content_type="text/plain")


urlpatterns = [path("hello", hello)]

from django.core.asgi import get_asgi_application  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

wsgi_app = get_wsgi_application()
asgi_app = get_asgi_application()
