from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civicplatform.core import health


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with each service "ok", or 503 naming what is down (for load balancers and ops)."""
    report: dict[str, str] = {}
    for name, check in health.CHECKS.items():
        try:
            problem = check()
        except Exception as exc:  # noqa: BLE001 - any failure means the service is down
            problem = f"{type(exc).__name__}: {exc}"[:200]
        report[name] = "ok" if problem is None else f"down: {problem}"
    down = [name for name, state in report.items() if state != "ok"]
    body = {
        "status": "ok" if not down else "down",
        "down": down,
        "checks": report,
        "mode": {
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "celery": "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "worker",
        },
    }
    return JsonResponse(body, status=503 if down else 200)
