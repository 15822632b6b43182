"""Writes that follow a verified FranceConnect login: find, link or create the account."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.core.services import audit_record
from civicplatform.franceconnect.client import VerifiedIdentity
from civicplatform.franceconnect.models import FranceConnectIdentity
from civicplatform.franceconnect.selectors import email_in_use, pseudonym_in_use


def _apply_verified_email(*, user: User, identity: VerifiedIdentity) -> None:
    """FranceConnect relays verified addresses: confirm the account's own address if it is the same one.

    A different address is left alone: the login address of an account never changes silently.
    """
    email = identity.email
    if not email:
        return
    if user.email is None and not email_in_use(email=email, exclude_user=user):
        user.email = email
        user.save(update_fields=["email"])
    if user.email is None or user.email.lower() != email.lower():
        return
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if user.verification_level < VerificationLevel.EMAIL:
        user.verification_level = VerificationLevel.EMAIL
        user.save(update_fields=["verification_level"])
        audit_record(
            action="franceconnect.email_confirmed",
            actor=user,
            target=user,
            data={"verification_level": int(VerificationLevel.EMAIL)},
        )


def _fill_birth_year(*, user: User, identity: VerifiedIdentity) -> None:
    if user.birth_year is None and identity.birth_year is not None:
        user.birth_year = identity.birth_year
        user.save(update_fields=["birth_year"])


def franceconnect_identity_login(*, identity: VerifiedIdentity) -> User | None:
    """The account already linked to this identity, refreshed, or None for a newcomer."""
    with transaction.atomic():
        link = FranceConnectIdentity.objects.select_for_update().select_related("user").filter(sub=identity.sub).first()
        if link is None:
            return None
        user = link.user
        if user.erased_at is not None:
            # The person deleted their account: FranceConnect starts them afresh.
            link.delete()
            return None
        link.last_login_at = timezone.now()
        link.acr = identity.acr
        link.save(update_fields=["last_login_at", "acr"])
        _apply_verified_email(user=user, identity=identity)
        _fill_birth_year(user=user, identity=identity)
        return user


def franceconnect_identity_link(*, user: User, identity: VerifiedIdentity) -> FranceConnectIdentity:
    """Link the identity to the logged-in person's existing account."""
    with transaction.atomic():
        taken = FranceConnectIdentity.objects.select_for_update().filter(sub=identity.sub).first()
        if taken is not None and taken.user_id != user.pk:
            raise ValidationError(
                _("This FranceConnect identity is already linked to another account."), code="identity_taken"
            )
        link = FranceConnectIdentity.objects.select_for_update().filter(user=user).first()
        if link is not None and link.sub != identity.sub:
            raise ValidationError(
                _("Your account is already linked to another FranceConnect identity."), code="account_linked"
            )
        if link is None:
            link = FranceConnectIdentity.objects.create(
                user=user, sub=identity.sub, acr=identity.acr, last_login_at=timezone.now()
            )
            audit_record(action="franceconnect.linked", actor=user, target=user, data={"acr": identity.acr})
        else:
            link.last_login_at = timezone.now()
            link.acr = identity.acr
            link.save(update_fields=["last_login_at", "acr"])
        _apply_verified_email(user=user, identity=identity)
        _fill_birth_year(user=user, identity=identity)
        return link


def franceconnect_user_create(*, identity: VerifiedIdentity, pseudonym: str, accepted_terms: bool) -> User:
    """Open an account for a newcomer, shown to others only by the pseudonym they chose."""
    if not accepted_terms:
        raise ValidationError({"accept_terms": _("You need to accept the terms of use to create an account.")})
    if pseudonym_in_use(pseudonym=pseudonym):
        raise ValidationError({"pseudonym": _("This pseudonym is already taken. Please choose another one.")})
    if identity.email and email_in_use(email=identity.email):
        raise ValidationError(
            _("An account already uses the e-mail address sent by FranceConnect."), code="email_in_use"
        )
    try:
        with transaction.atomic():
            if FranceConnectIdentity.objects.filter(sub=identity.sub).exists():
                raise ValidationError(
                    _("This FranceConnect identity already has an account. Please log in again."),
                    code="identity_taken",
                )
            user = User(
                email=identity.email,
                pseudonym=pseudonym,
                birth_year=identity.birth_year,
                verification_level=VerificationLevel.EMAIL if identity.email else VerificationLevel.NONE,
                terms_accepted_at=timezone.now(),
            )
            # No password: the person logs in through FranceConnect, or sets one later.
            user.set_unusable_password()
            user.full_clean()
            # AbstractUser.clean() turns a missing address into "", which is not unique: keep None.
            user.email = identity.email
            user.save()
            if identity.email:
                EmailAddress.objects.create(user=user, email=identity.email, verified=True, primary=True)
            FranceConnectIdentity.objects.create(
                user=user, sub=identity.sub, acr=identity.acr, last_login_at=timezone.now()
            )
            audit_record(
                action="franceconnect.account_created",
                actor=user,
                target=user,
                data={"acr": identity.acr, "verification_level": int(user.verification_level)},
            )
    except IntegrityError as exc:
        # Two submissions at once: the other one won the pseudonym, address or identity.
        raise ValidationError(_("This account could not be created. Please try again."), code="conflict") from exc
    return user


def franceconnect_identity_unlink(*, user: User) -> None:
    """Remove the link; the person keeps their account and logs in with their password."""
    if not user.has_usable_password():
        raise ValidationError(_("Set a password first, otherwise you could no longer log in."), code="no_password")
    with transaction.atomic():
        deleted, _by_model = FranceConnectIdentity.objects.filter(user=user).delete()
        if deleted:
            audit_record(action="franceconnect.unlinked", actor=user, target=user)


def franceconnect_failure_record(*, reason: str, actor: User | None = None) -> None:
    """Audit a refused login: the reason code only, never tokens or identity data."""
    audit_record(action="franceconnect.login_failed", actor=actor, reason=reason)
