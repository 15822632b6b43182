from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from civicplatform.franceconnect.models import FranceConnectIdentity


def franceconnect_identity_for_user(*, user: AbstractBaseUser) -> FranceConnectIdentity | None:
    if not user.is_authenticated:
        return None
    return FranceConnectIdentity.objects.filter(user=user).first()


def email_in_use(*, email: str, exclude_user: AbstractBaseUser | None = None) -> bool:
    """Whether another account already logs in with, or has confirmed, this address."""
    users = get_user_model().objects.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user.pk)
        addresses = addresses.exclude(user=exclude_user)
    return users.exists() or addresses.exists()


def pseudonym_in_use(*, pseudonym: str) -> bool:
    return get_user_model().objects.filter(pseudonym__iexact=pseudonym).exists()
