"""What the accounts app holds about a person, for "download my data" (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessLog

from civicplatform.accounts.models import LoginSession, User, VerificationLevel


def export_profile(user: User) -> list[dict[str, Any]]:
    return [
        {
            "email": user.email,
            "pseudonym": user.pseudonym,
            "district": user.district.name if user.district_id else None,
            "birth_year": user.birth_year,
            "postal_code": user.postal_code,
            "verification_level": str(VerificationLevel(user.verification_level).label),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "terms_accepted_at": user.terms_accepted_at,
            "is_staff": user.is_staff,
        }
    ]


def export_email_addresses(user: User) -> list[dict[str, Any]]:
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]


def export_login_history(user: User) -> list[dict[str, Any]]:
    # Successful sign-ins only, as django-axes records them. Failed attempts on
    # the account are left out: their addresses are likely someone else's.
    if not user.email:
        return []
    return [
        {
            "signed_in_at": entry.attempt_time,
            "signed_out_at": entry.logout_time,
            "ip_address": entry.ip_address,
            "browser": entry.user_agent,
        }
        for entry in AccessLog.objects.filter(username__iexact=user.email).order_by("-attempt_time")
    ]


def export_sessions(user: User) -> list[dict[str, Any]]:
    return [{"signed_in_at": session.created_at} for session in LoginSession.objects.filter(user=user)]


def export_two_factor(user: User) -> list[dict[str, Any]]:
    # The kind of each authenticator and its dates; never its secret.
    return [
        {
            "type": str(authenticator.get_type_display()),
            "created_at": authenticator.created_at,
            "last_used_at": authenticator.last_used_at,
        }
        for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
    ]


def export_identity_providers(user: User) -> list[dict[str, Any]]:
    return [
        {
            "provider": account.provider,
            "uid": account.uid,
            "date_joined": account.date_joined,
            "last_login": account.last_login,
            "data_received": account.extra_data,
        }
        for account in SocialAccount.objects.filter(user=user).order_by("date_joined")
    ]


EXPORTERS = {
    "account.profile": export_profile,
    "account.email_addresses": export_email_addresses,
    "account.login_history": export_login_history,
    "account.sessions": export_sessions,
    "account.two_factor": export_two_factor,
    "account.identity_providers": export_identity_providers,
}
