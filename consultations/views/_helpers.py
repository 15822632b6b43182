"""Small helpers shared by the consultation views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicplatform.accounts.middleware import redirect_to_mfa_setup, staff_needs_mfa
from civicplatform.core.eligibility import Decision


def add_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def refused(request: HttpRequest, decision: Decision | str, *, back: str = "", status: int = 403) -> HttpResponse:
    """The page that says, in plain words, why the person may not do this now and what they can do."""
    if isinstance(decision, str):
        decision = Decision(allowed=False, reason=decision)
    return render(request, "consultations/refused.html", {"decision": decision, "back": back}, status=status)


def back_office(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in; staff must have set up two-factor authentication, as on every back-office page.
    The view checks its own permission on the object."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if staff_needs_mfa(request.user):
            return redirect_to_mfa_setup(request)
        return view(request, *args, **kwargs)

    return wrapper
