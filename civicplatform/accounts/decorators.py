"""Access decorators other apps use for staff-only views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from civicplatform.accounts.middleware import redirect_to_mfa_setup, staff_needs_mfa


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in staff with two-factor authentication set up; 403 for everyone else.

    Anonymous visitors go to the login page; staff without an authenticator
    app go to set one up (the same rule StaffMFAMiddleware applies to /admin/).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if staff_needs_mfa(user):
            return redirect_to_mfa_setup(request)
        return view(request, *args, **kwargs)

    return wrapper
