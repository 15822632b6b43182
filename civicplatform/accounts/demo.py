"""Demo accounts, one per role, with confirmed e-mail addresses."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.territory.models import District

DEMO_PASSWORD = "demo-civic-2026"  # noqa: S105 - demo only, printed at start
# An adult, so that the demo accounts may vote where a minimum age applies (the budget vote: 16).
DEMO_BIRTH_YEAR = 1988
DEMO_ACCOUNTS = [
    # e-mail, pseudonym, role, verification, staff, superuser
    ("citoyenne@demo.example", "Camille", "citizen (verified resident)", VerificationLevel.RESIDENT, False, False),
    ("elu@demo.example", "Élu·e Moderation", "moderator, elected official", VerificationLevel.ELECTOR, False, False),
    ("agent@demo.example", "Agent Mairie", "staff administrator", VerificationLevel.RESIDENT, True, True),
]


def load_demo(stdout) -> None:
    district = District.objects.order_by("name").first()
    for email, pseudonym, _role, level, is_staff, is_superuser in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "pseudonym": pseudonym,
                "verification_level": level,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
                "district": district,
                "birth_year": DEMO_BIRTH_YEAR,
                "terms_accepted_at": timezone.now(),
            },
        )
        if not created and user.birth_year is None:
            # Older demo databases: give the birth year that age-restricted votes (from 16) ask for.
            User.objects.filter(pk=user.pk).update(birth_year=DEMO_BIRTH_YEAR)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, _pseudonym, role, *_rest in DEMO_ACCOUNTS:
        stdout.write(f"  {email:28} {role}")
    if settings.ACCOUNTS_STAFF_MFA_REQUIRED:
        stdout.write(
            "  Staff accounts set up an authenticator app (TOTP) on their first visit to /admin/"
            " (ACCOUNTS_STAFF_MFA_REQUIRED=false turns this off locally)."
        )
