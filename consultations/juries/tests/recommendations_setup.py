"""A seated jury for the recommendation tests: members whose seats are linked to accounts, drafts, a vote."""

from __future__ import annotations

import datetime

from django.utils import timezone

from civicplatform.accounts.tests.factories import UserFactory

from .. import services_recommendations as services
from ..models import Registrant, RegistrantStatus, Seat
from .factories import make_invitations, make_jury


def seat_members(jury, count: int, *, start: int = 0) -> list:
    """`count` confirmed registrants, each with a seat linked to a new account."""
    invitations = make_invitations(jury, count) if start == 0 else make_invitations_from(jury, count, start)
    members = []
    for n, invitation in enumerate(invitations, start=start):
        registrant = Registrant.objects.create(
            jury=jury,
            invitation=invitation,
            first_name=f"Vrai{n}",
            last_name=f"Nom{n}",
            email=f"membre{jury.pk}-{n}@example.org",
            consent_at=timezone.now(),
            status=RegistrantStatus.CONFIRMED,
        )
        user = UserFactory(email=f"membre{jury.pk}-{n}@example.org", pseudonym=f"Compte{jury.pk}-{n}")
        Seat.objects.create(jury=jury, registrant=registrant, user=user)
        members.append(user)
    return members


def make_invitations_from(jury, count: int, start: int):
    from ..models import Invitation, InvitationBatch
    from ..services import household_key

    batch = InvitationBatch.objects.create(
        jury=jury, source_name="t2.csv", source_count=count, source_sha256="", size=count
    )
    return [
        Invitation.objects.create(
            batch=batch,
            jury=jury,
            address_line=f"{n} avenue du Test",
            postcode="37000",
            city="Belleville",
            household_key=household_key(f"{n} avenue du Test", "37000"),
        )
        for n in range(start, start + count)
    ]


def seated_jury(count: int = 3, **kwargs):
    jury = make_jury(**kwargs)
    return jury, seat_members(jury, count)


def draft(jury, author, n: int = 1, **changes):
    fields = {"title": f"Titre {n}", "text": f"Texte de la recommandation {n}.", "rationale": "Parce que."} | changes
    return services.recommendation_create(jury=jury, actor=author, **fields)


def open_vote(jury, staff, recommendations, *, threshold: int = 50, days: int = 3):
    return services.recommendation_vote_open(
        jury=jury,
        actor=staff,
        title="Vote final",
        recommendations=recommendations,
        closes_at=timezone.now() + datetime.timedelta(days=days),
        threshold_percent=threshold,
    )
