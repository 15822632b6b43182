"""Small helpers shared by the budget views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from civicplatform.accounts.middleware import redirect_to_mfa_setup, staff_needs_mfa
from civicplatform.core.eligibility import Decision


def add_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def refused(request: HttpRequest, decision: Decision | str, *, back: str, status: int = 403) -> HttpResponse:
    """The page that says, in plain words, why the person may not do this now and what they can do."""
    if isinstance(decision, str):
        decision = Decision(allowed=False, reason=decision)
    return render(request, "budgets/refused.html", {"decision": decision, "back": back}, status=status)


def safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def back_office_guard(request: HttpRequest) -> HttpResponse | None:
    """Staff reach the review and follow-up pages only with two-factor authentication set up."""
    if staff_needs_mfa(request.user):
        return redirect_to_mfa_setup(request)
    return None


def page_context(page: Any) -> dict[str, Any]:
    return {"page_obj": page, "items": list(page.object_list)}
