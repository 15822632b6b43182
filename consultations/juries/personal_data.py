"""What juries hold about a person. Volunteers register with a letter's code, not an account:
their registration is theirs when it carries the account's e-mail address."""

from __future__ import annotations

from typing import Any

from .models import Registrant, RegistrantStatus


def export_registrations(user) -> list[dict[str, Any]]:
    if not user.email:
        return []
    return [
        {
            "jury": r.jury.title,
            "pseudonym": r.pseudonym,
            "first_name": r.first_name,
            "last_name": r.last_name,
            "email": r.email,
            "phone": r.phone,
            "answers": ", ".join(f"{k}={v}" for k, v in sorted(r.answers.items())),
            "consent_at": r.consent_at,
            "status": str(r.get_status_display()),
        }
        for r in Registrant.objects.filter(email__iexact=user.email).select_related("jury")
    ]


def erase_registrations(user) -> None:
    """Leaving the platform withdraws the person from any pool and wipes their contact details.
    The pseudonym stays in published draw files, which never held a name."""
    if not user.email:
        return
    Registrant.objects.filter(email__iexact=user.email).update(
        first_name="-", last_name="-", email="", phone="", status=RegistrantStatus.WITHDRAWN
    )


def volunteers_purge(cutoff) -> int:
    """Retention: once a jury's last phase ended before `cutoff`, wipe its volunteers' names and
    contact details and the invited addresses. Pseudonyms, answers and draws stay (public record)."""
    from django.db.models import Max

    from .models import Invitation, Jury

    done = (
        Jury.objects.annotate(last_end=Max("phases__ends_at")).filter(last_end__lt=cutoff).values_list("pk", flat=True)
    )
    wiped = (
        Registrant.objects.filter(jury__in=done)
        .exclude(first_name="-", last_name="-", email="", phone="")
        .update(first_name="-", last_name="-", email="", phone="")
    )
    Invitation.objects.filter(jury__in=done).exclude(address_line="-").update(addressee="", address_line="-", city="")
    return wiped
