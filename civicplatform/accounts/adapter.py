"""How allauth creates our users and sends their mail (ACCOUNT_ADAPTER, MFA_ADAPTER)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def platform_name() -> str:
    return settings.WAGTAIL_SITE_NAME


class CivicAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        data = form.cleaned_data
        # Set before allauth's INSERT so the pseudonym constraint is checked once, atomically.
        if data.get("pseudonym"):
            user.pseudonym = data["pseudonym"]
        if data.get("accept_terms"):
            user.terms_accepted_at = timezone.now()
        if not commit:
            return super().save_user(request, user, form, commit=False)
        try:
            with transaction.atomic():
                return super().save_user(request, user, form, commit=True)
        except IntegrityError:
            # Two people chose the same pseudonym at the same instant: the form check
            # passed for both and the database constraint refused the second.
            form.add_error("pseudonym", _("This pseudonym has just been taken. Please choose another one."))
            template = (
                "socialaccount/signup.html"
                if getattr(request.resolver_match, "url_name", "") == "socialaccount_signup"
                else "account/signup.html"
            )
            raise ImmediateHttpResponse(render(request, template, {"form": form}, status=400)) from None

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {"platform_name": platform_name(), "site_url": settings.SITE_URL, **context}
        super().send_mail(template_prefix, email, context)


class CivicMFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        return platform_name()

    def get_totp_label(self, user: Any) -> str:
        # The label is visible to anyone who sees the phone: the pseudonym rather than the e-mail.
        return user.public_name
