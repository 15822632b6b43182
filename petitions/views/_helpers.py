"""Small helpers shared by the petition views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicplatform.accounts.middleware import redirect_to_mfa_setup, staff_needs_mfa
from civicplatform.core.eligibility import Decision


def add_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def refused(request: HttpRequest, decision: Decision | str, *, back: str = "", status: int = 403) -> HttpResponse:
    """The page that says, in plain words, why the person may not do this and what they can do."""
    if isinstance(decision, str):
        decision = Decision(allowed=False, reason=decision)
    return render(request, "petitions/refused.html", {"decision": decision, "back": back}, status=status)


def moderator_required(perm: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Logged in with `perm` (staff or site-wide moderators); staff must have set up two-factor
    authentication, as for every back-office page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            if staff_needs_mfa(request.user):
                return redirect_to_mfa_setup(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def client_ip(request: HttpRequest) -> str:
    """The client address as django-ratelimit sees it (RATELIMIT_IP_META_KEY behind a proxy)."""
    from django_ratelimit.core import _get_ip

    return _get_ip(request)
