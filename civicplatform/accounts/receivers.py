"""Signal receivers: allauth and Django tell accounts about sign-ins and confirmations."""

from __future__ import annotations

from allauth.account.signals import email_confirmed, password_changed, password_set
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from civicplatform.accounts import services


def _record(request, user) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        services.login_session_record(user=user, session_key=session.session_key)


@receiver(user_logged_in, dispatch_uid="accounts_login_session")
def on_user_logged_in(sender, request, user, **kwargs) -> None:
    _record(request, user)


@receiver(password_changed, dispatch_uid="accounts_password_changed")
@receiver(password_set, dispatch_uid="accounts_password_set")
def on_password_changed(sender, request, user, **kwargs) -> None:
    # Changing the password gives the current session a new key (update_session_auth_hash).
    _record(request, user)


@receiver(email_confirmed, dispatch_uid="accounts_email_confirmed")
def on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    services.user_mark_email_confirmed(user=email_address.user)
