"""The town-hall desk: accounts created and verified for people without e-mail or computer."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.core.services import audit_record
from civicplatform.territory.models import District
from civicplatform.verification.models import VerificationMethod
from civicplatform.verification.services.levels import verification_grant
from civicplatform.verification.services.registers import MatchStatus, register_match


def desk_account_create(
    *,
    staff: User,
    pseudonym: str,
    district: District | None,
    birth_year: int | None = None,
    email: str | None = None,
    identity_checked: bool = False,
) -> User:
    """Create an account for a person present at the desk.

    The password is unusable: the person takes part through staff at the
    desk. If they gave an e-mail address, they can later set a password with
    "forgotten password" once they have confirmed it.
    """
    email = (email or "").strip().lower() or None
    with transaction.atomic():
        if User.objects.filter(pseudonym__iexact=pseudonym).exists():
            raise ValidationError({"pseudonym": _("This pseudonym is already taken.")})
        if email and User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": _("An account already uses this e-mail address: search for it instead.")})
        try:
            with transaction.atomic():
                person = User.objects.create_user(
                    email=email, pseudonym=pseudonym, district=district, birth_year=birth_year
                )
        except IntegrityError as exc:
            raise ValidationError(_("This pseudonym or e-mail address is already taken.")) from exc
        person.set_unusable_password()
        person.save(update_fields=["password"])
        if email:
            EmailAddress.objects.create(user=person, email=email, verified=False, primary=True)
        audit_record(
            action="desk.account_created",
            actor=staff,
            target=person,
            on_behalf_of=person,
            data={"district": district.pk if district else None, "with_email": bool(email)},
        )
        if identity_checked:
            verification_grant(
                user=person,
                level=VerificationLevel.RESIDENT,
                method=VerificationMethod.DESK,
                actor=staff,
                district=district,
                on_behalf_of=person,
            )
    return person


def desk_verify(
    *,
    staff: User,
    person: User,
    level: int,
    district: District | None = None,
    last_name: str = "",
    first_names: str = "",
    birth_date: datetime.date | None = None,
    postal_code: str = "",
) -> User:
    """Verify a person present at the desk with an identity document (its number is not recorded).

    When staff also type the identity, the matching register entry is claimed
    for this account, so the same person cannot verify another account online.
    """
    if person.erased_at or not person.is_active:
        raise ValidationError(_("This account is closed."))
    if level not in (VerificationLevel.RESIDENT, VerificationLevel.ELECTOR):
        raise ValidationError({"level": _("Choose resident or registered elector.")})
    matched = None
    if last_name and first_names and birth_date and postal_code:
        # Its own transaction: a conflict stays recorded for staff even though we refuse here.
        matched = register_match(
            user=person,
            last_name=last_name,
            first_names=first_names,
            birth_date=birth_date,
            postal_code=postal_code,
            actor=staff,
            method=VerificationMethod.DESK,
        )
        if matched.status == MatchStatus.CONFLICT:
            raise ValidationError(
                _(
                    "This identity already verified another account. A conflict has been opened: "
                    "decide it on the conflicts page."
                )
            )
        if matched.status == MatchStatus.OTHER_IDENTITY:
            raise ValidationError(_("This account is already linked to another identity of the register."))
    already_done = matched is not None and matched.status == MatchStatus.VERIFIED and matched.level >= level
    if not already_done or district is not None:
        verification_grant(
            user=person,
            level=level,
            method=VerificationMethod.DESK,
            actor=staff,
            postal_code=postal_code,
            district=district,
            on_behalf_of=person,
        )
    person.refresh_from_db()
    return person
