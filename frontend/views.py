"""Localised error pages. They render base.html, so they must not need the database to be up."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)


def _render(template: str, status: int, request: HttpRequest) -> HttpResponse:
    try:
        body = loader.render_to_string(template, {}, request)
    except Exception:  # noqa: BLE001 - an error page must never fail in turn
        logger.exception("Could not render %s; falling back to the minimal error page", template)
        body = loader.render_to_string("errors/minimal.html", {"status": status})
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render("errors/400.html", 400, request)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render("errors/403.html", 403, request)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render("errors/404.html", 404, request)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render("errors/500.html", 500, request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: an expired form is the usual cause, so say how to recover."""
    return _render("errors/403_csrf.html", 403, request)
