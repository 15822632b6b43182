"""Demo of the jury's recommendations: five drafts improved by several members (with their history),
an open secret vote on three of them in which the demo citizen (citoyenne@demo.example) has not voted
yet, some ballots already cast by other members, and a minority view with its signatures.

Called at the end of demo.load_demo, after the workspace demo has seated the members; loading twice
changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Jury, RegistrantStatus, Seat
from .services_recommendations import (
    latest_revision_id,
    minority_view_create,
    minority_view_toggle_signature,
    recommendation_ballot_cast,
    recommendation_create,
    recommendation_update,
    recommendation_vote_open,
)
from .services_workspace import seat_claim

CITIZEN = "citoyenne@demo.example"
STAFF = "agent@demo.example"

# title, first wording, rationale, improved wording
DRAFTS = [
    (
        "Une zone piétonne autour de la place du Marché",
        "Rendre piétonnes les rues autour de la place du Marché le samedi.",
        "Les comptages montrent que la place est saturée le jour du marché ; les piétons y sont en danger.",
        "Rendre piétonnes les rues autour de la place du Marché tous les jours de 10 h à 19 h, avec un accès "
        "permanent pour les riverains, les secours et les livraisons avant 10 h.",
    ),
    (
        "Des pistes cyclables continues",
        "Créer des pistes cyclables sur les grands axes du centre.",
        "Les cyclistes auditionnés décrivent des itinéraires coupés qui découragent les débutants.",
        "Créer d’ici 2028 un réseau de pistes cyclables séparées et continues reliant la gare, les écoles et "
        "la place du Marché.",
    ),
    (
        "Un stationnement résidentiel à tarif réduit",
        "Réserver des places aux résidents du centre.",
        "Les résidents sans garage ne doivent pas payer le prix de la piétonnisation.",
        "Réserver aux résidents du centre un tiers des places de stationnement, avec un abonnement à tarif réduit "
        "selon les revenus.",
    ),
    (
        "Une navette gratuite le samedi",
        "Mettre en place une navette gratuite entre les parkings relais et le centre.",
        "Les personnes âgées et les familles doivent pouvoir venir au marché sans voiture.",
        "",
    ),
    (
        "Des livraisons groupées",
        "Organiser un point de livraison commun pour les commerces du centre.",
        "La logistique urbaine réduit le nombre de camionnettes dans les rues étroites.",
        "",
    ),
]
# Levels given by the members who have already voted, for R1, R2, R3.
# Other members get demo accounts so that the jury's work has authors.
MEMBER_ACCOUNTS = 6
BALLOTS = [(5, 4, 2), (4, 5, 1), (4, 3, 4), (5, 4, 0), (2, 5, 3)]


def _seated_members(jury: Jury, *, staff, citizen) -> list:
    """The seated members other than the demo citizen. The workspace demo seats the citizen only; the
    others get demo accounts (jure1@demo.example...) linked to their seats, so that drafts, ballots and
    signatures have authors."""
    users = get_user_model().objects
    free = jury.registrants.filter(status=RegistrantStatus.CONFIRMED, seat__isnull=True).order_by("pk")
    for number, registrant in enumerate(free[:MEMBER_ACCOUNTS], start=1):
        user, created = users.get_or_create(
            email=f"jure{number}@demo.example", defaults={"pseudonym": f"Membre du jury {number}"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not Seat.objects.filter(jury=jury, user=user).exists():
            seat_claim(registrant=registrant, user=user, actor=staff)
    seats = jury.seats.filter(ended_at__isnull=True, registrant__status=RegistrantStatus.CONFIRMED)
    return [seat.user for seat in seats.select_related("user").order_by("pk") if seat.user != citizen]


def load(jury: Jury) -> None:
    users = get_user_model().objects
    staff, citizen = users.filter(email=STAFF).first(), users.filter(email=CITIZEN).first()
    if staff is None or jury.recommendations.exists():
        return
    members = _seated_members(jury, staff=staff, citizen=citizen)
    if len(members) < 4:
        return  # the workspace demo confirms the drawn members first
    drafts = []
    for index, (title, text, rationale, improved) in enumerate(DRAFTS):
        recommendation = recommendation_create(
            jury=jury, actor=members[index % len(members)], title=title, text=text, rationale=rationale
        )
        if improved:
            recommendation = recommendation_update(
                recommendation=recommendation,
                actor=members[(index + 1) % len(members)],
                title=title,
                text=improved,
                rationale=rationale,
                base_revision=latest_revision_id(recommendation),
            )
        drafts.append(recommendation)
    # A facilitator tidies one wording, as they do between sessions.
    recommendation_update(
        recommendation=drafts[0],
        actor=staff,
        title=drafts[0].title,
        text=drafts[0].text.replace("tous les jours", "du lundi au samedi"),
        rationale=drafts[0].rationale,
        base_revision=latest_revision_id(drafts[0]),
    )
    vote = recommendation_vote_open(
        jury=jury,
        actor=staff,
        title="Vote sur les trois premières recommandations",
        recommendations=drafts[:3],
        closes_at=timezone.now() + datetime.timedelta(days=10),
        threshold_percent=60,
    )
    for member, levels in zip(members, BALLOTS, strict=False):
        recommendation_ballot_cast(vote=vote, person=member, levels=dict(zip((1, 2, 3), levels, strict=True)))
    view = minority_view_create(
        jury=jury,
        actor=members[1],
        title="Le stationnement ne doit pas être réservé",
        text=(
            "Réserver des places aux résidents reviendrait à priver de stationnement les personnes qui viennent "
            "travailler au centre, souvent sans autre moyen de transport. Nous préférons une tarification "
            "solidaire ouverte à tous."
        ),
        recommendation=drafts[2],
    )
    minority_view_toggle_signature(view=view, actor=members[3])
