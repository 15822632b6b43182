"""A jury whose report is published: recommendations (adopted or not), a closed vote with its tally,
a minority view and seated members, built directly (the drafting and vote have their own tests)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from civicplatform.accounts.tests.factories import UserFactory

from ..models import (
    JuryReport,
    JuryStatus,
    MinorityView,
    Recommendation,
    RecommendationStatus,
    RecommendationVote,
    Registrant,
    RegistrantStatus,
    Seat,
    VoteStatus,
)
from .factories import make_invitations, make_jury

# number -> {level: count}: 8 members, R1-R3 adopted, R4 not.
TALLY = {
    1: {5: 4, 4: 2, 3: 1, 2: 0, 1: 1, 0: 0},
    2: {5: 2, 4: 3, 3: 2, 2: 1, 1: 0, 0: 0},
    3: {5: 5, 4: 1, 3: 1, 2: 0, 1: 0, 0: 1},
    4: {5: 1, 4: 1, 3: 2, 2: 2, 1: 2, 0: 0},
}


def make_reported_jury(*, slug: str = "jury-rapport", adopted: int = 3, published: bool = True, seated: int = 2):
    """A jury with `adopted` adopted recommendations (R1..Rn) and one not adopted after them, a closed
    vote, a minority view on R1 and `seated` seated members (plus one whose seat has ended).
    The report is published when `published`."""
    jury = make_jury(slug=slug, open_recruitment=False)
    jury.status = JuryStatus.REPORTED if published else JuryStatus.DELIBERATING
    jury.save(update_fields=["status"])
    recommendations = []
    for number in range(1, adopted + 2):
        recommendations.append(
            Recommendation.objects.create(
                jury=jury,
                number=number,
                title=f"Recommandation numéro {number}",
                text=f"Texte de la recommandation {number} : planter des arbres rue {number}.",
                rationale=f"Parce que la rue {number} manque d’ombre.",
                status=RecommendationStatus.ADOPTED if number <= adopted else RecommendationStatus.NOT_ADOPTED,
            )
        )
    tally = {
        str(r.number): {str(k): v for k, v in TALLY[min(r.number, 3) if r.number <= adopted else 4].items()}
        for r in recommendations
    }
    vote = RecommendationVote.objects.create(
        jury=jury,
        title="Vote final",
        status=VoteStatus.CLOSED,
        closes_at=timezone.now() - datetime.timedelta(days=2),
        closed_at=timezone.now() - datetime.timedelta(days=2),
        tally=tally,
    )
    vote.recommendations.set(recommendations)
    members = []
    invitations = make_invitations(jury, seated + 1)
    for index, invitation in enumerate(invitations):
        person = Registrant.objects.create(
            jury=jury,
            invitation=invitation,
            first_name=f"Membre{index}",
            last_name=f"Jury{index}",
            consent_at=timezone.now(),
            status=RegistrantStatus.CONFIRMED,
        )
        user = UserFactory()
        ended = timezone.now() if index == seated else None
        Seat.objects.create(jury=jury, registrant=person, user=user, ended_at=ended)
        members.append(user)
    minority = MinorityView.objects.create(
        jury=jury, recommendation=recommendations[0], title="Une autre voie", text="Nous préférons des bancs."
    )
    minority.signatories.set(members[:2])
    JuryReport.objects.create(
        jury=jury,
        introduction="Notre rapport.",
        published_at=timezone.now() - datetime.timedelta(days=1) if published else None,
    )
    return jury, recommendations, members[:seated], members[seated]
