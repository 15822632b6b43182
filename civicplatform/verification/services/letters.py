"""Codes sent by post: proof that a person receives mail at an address of the municipality."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.territory.selectors import postal_code_in_municipality
from civicplatform.verification.identity import letter_code_hash, letter_code_matches, new_letter_code
from civicplatform.verification.models import PostalLetter, VerificationEvent, VerificationMethod
from civicplatform.verification.services.levels import verification_grant, verification_log

CODE_VALIDITY = datetime.timedelta(days=30)
MAX_CODE_ATTEMPTS = 5
PENDING = (PostalLetter.Status.REQUESTED, PostalLetter.Status.SENT)


def letter_is_usable(letter: PostalLetter, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        letter.status == PostalLetter.Status.SENT
        and letter.expires_at is not None
        and letter.expires_at > now
        and letter.attempts < MAX_CODE_ATTEMPTS
    )


def letter_request(
    *,
    user: User,
    recipient: str,
    address_line1: str,
    address_line2: str = "",
    postal_code: str,
    city: str,
) -> PostalLetter:
    """Ask for a letter with a code. The address is kept only until the letter is sent."""
    if user.verification_level >= VerificationLevel.RESIDENT:
        raise ValidationError(_("Your residence is already verified."))
    if not postal_code_in_municipality(postal_code):
        raise ValidationError(
            {"postal_code": _("This postal code is not one of the municipality's: letters go to residents only.")}
        )
    with transaction.atomic():
        pending = PostalLetter.objects.select_for_update().filter(user=user, status__in=PENDING).first()
        if pending is not None:
            if pending.status == PostalLetter.Status.REQUESTED or letter_is_usable(pending):
                raise ValidationError(_("A letter is already on its way to you: use its code, or cancel it first."))
            # An expired or exhausted code: close it so a new letter can be asked for.
            pending.status = PostalLetter.Status.CANCELLED
            pending.save(update_fields=["status"])
        code = new_letter_code()
        letter = PostalLetter.objects.create(
            user=user,
            recipient=recipient,
            address_line1=address_line1,
            address_line2=address_line2,
            postal_code=postal_code,
            city=city,
            code=code,
            code_hash=letter_code_hash(code),
        )
        verification_log(
            user=user,
            kind=VerificationEvent.Kind.LETTER_REQUESTED,
            method=VerificationMethod.POSTAL,
            actor=user,
            data={"letter": str(letter.public_id)},
        )
    return letter


def letter_cancel(*, letter: PostalLetter, user: User) -> PostalLetter:
    """The person cancels a letter not yet used (wrong address, moved): the address is erased."""
    with transaction.atomic():
        letter = PostalLetter.objects.select_for_update().get(pk=letter.pk, user=user)
        if letter.status not in PENDING:
            raise ValidationError(_("This letter can no longer be cancelled."))
        letter.status = PostalLetter.Status.CANCELLED
        _erase_address(letter)
        letter.save()
    return letter


def letter_mark_sent(*, letter: PostalLetter, staff: User) -> PostalLetter:
    """Staff posted the letter: erase the address and the code in clear; the code is valid 30 days."""
    with transaction.atomic():
        letter = PostalLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != PostalLetter.Status.REQUESTED:
            raise ValidationError(_("This letter has already been handled."))
        now = timezone.now()
        letter.status = PostalLetter.Status.SENT
        letter.sent_at = now
        letter.sent_by = staff
        letter.expires_at = now + CODE_VALIDITY
        _erase_address(letter)
        letter.save()
        verification_log(
            user=letter.user,
            kind=VerificationEvent.Kind.LETTER_SENT,
            method=VerificationMethod.POSTAL,
            actor=staff,
            data={"letter": str(letter.public_id)},
        )
    return letter


@dataclass(frozen=True)
class CodeResult:
    ok: bool
    message: str = ""


def letter_code_check(*, user: User, code: str) -> CodeResult:
    """Check the code typed by `user`; five wrong tries or 30 days end a letter."""
    with transaction.atomic():
        letter = (
            PostalLetter.objects.select_for_update()
            .filter(user=user, status=PostalLetter.Status.SENT)
            .order_by("-sent_at")
            .first()
        )
        if letter is None:
            return CodeResult(ok=False, message=_("No letter has been sent to you yet."))
        if letter.expires_at is None or letter.expires_at <= timezone.now():
            return CodeResult(ok=False, message=_("This code has expired. Ask for a new letter."))
        if letter.attempts >= MAX_CODE_ATTEMPTS:
            return CodeResult(ok=False, message=_("Too many wrong codes. Ask for a new letter."))
        if not letter_code_matches(code, letter.code_hash):
            letter.attempts += 1
            letter.save(update_fields=["attempts"])
            left = MAX_CODE_ATTEMPTS - letter.attempts
            if left == 0:
                return CodeResult(
                    ok=False, message=_("This code is wrong, and it was the last try. Ask for a new letter.")
                )
            return CodeResult(
                ok=False,
                message=ngettext(
                    "This code is wrong. You have %(count)d try left.",
                    "This code is wrong. You have %(count)d tries left.",
                    left,
                )
                % {"count": left},
            )
        letter.status = PostalLetter.Status.USED
        letter.used_at = timezone.now()
        letter.save(update_fields=["status", "used_at"])
        verification_grant(
            user=user,
            level=VerificationLevel.RESIDENT,
            method=VerificationMethod.POSTAL,
            actor=user,
            postal_code=letter.postal_code,
            data={"letter": str(letter.public_id)},
        )
    return CodeResult(ok=True)


def _erase_address(letter: PostalLetter) -> None:
    # The postal code stays: it sets the district once the code is used, and alone it names no one.
    letter.recipient = ""
    letter.address_line1 = ""
    letter.address_line2 = ""
    letter.city = ""
    letter.code = ""
