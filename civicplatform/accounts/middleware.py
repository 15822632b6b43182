"""Request-level rules for accounts: staff two-factor authentication, one login door, form status codes."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def staff_needs_mfa(user) -> bool:
    """True when `user` is staff and has not set up an authenticator app yet."""
    return bool(
        settings.ACCOUNTS_STAFF_MFA_REQUIRED
        and user.is_authenticated
        and user.is_staff
        and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
    )


def redirect_to_mfa_setup(request: HttpRequest) -> HttpResponseRedirect:
    messages.warning(
        request,
        _(
            "Staff accounts must use two-factor authentication. "
            "Set up an authenticator app to reach the administration."
        ),
    )
    return HttpResponseRedirect(reverse("mfa_activate_totp"))


class StaffMFAMiddleware:
    """The back office is reachable only through our login, and only with two factors.

    - Wagtail's and Django's own login pages would skip allauth (and so the
      second factor and our rate limits): they redirect to allauth's login.
    - A staff member without an authenticator app who opens a staff-only area
      (the Wagtail admin, the Django admin, ACCOUNTS_STAFF_MFA_PATHS) is sent
      to set one up first. Staff-only views elsewhere use
      `accounts.decorators.staff_required`, which applies the same rule.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def admin_logins(self) -> dict[str, str]:
        # login path -> where to go after logging in when no `next` is given
        return {
            reverse("wagtailadmin_login"): reverse("wagtailadmin_home"),
            reverse("admin:login"): reverse("admin:index"),
        }

    @cached_property
    def protected_prefixes(self) -> tuple[str, ...]:
        return (reverse("wagtailadmin_home"), reverse("admin:index"), *settings.ACCOUNTS_STAFF_MFA_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path in self.admin_logins:
            return self._to_allauth_login(request, default_next=self.admin_logins[path])
        if path.startswith(self.protected_prefixes) and staff_needs_mfa(request.user):
            return redirect_to_mfa_setup(request)
        return self.get_response(request)

    def _to_allauth_login(self, request: HttpRequest, *, default_next: str) -> HttpResponseRedirect:
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = default_next
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


class FormErrorStatusMiddleware:
    """allauth re-renders an invalid form with status 200; the rest of the site answers 400.

    Assistive technologies and tests rely on the status to tell a refused
    submission from a page view, so allauth's pages follow the house rule.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(self, request: HttpRequest, response: TemplateResponse) -> TemplateResponse:
        if request.method != "POST" or response.status_code != 200:
            return response
        match = request.resolver_match
        if match is None or not match.func.__module__.startswith("allauth."):
            return response
        form = (response.context_data or {}).get("form")
        if form is not None and form.is_bound and form.errors:
            response.status_code = 400
        return response
