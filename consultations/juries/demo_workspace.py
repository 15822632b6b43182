"""Demo of the seated jury's workspace: the drawn members confirm, the demo citizen
(citoyenne@demo.example) sits on one seat, staff open the workspace, and the jury has three sessions
(one past, with its summary), materials, expert hearings and questions (some answered).

Called at the end of demo.load_demo; loading twice changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import BriefingMaterial, ExpertHearing, Jury, JurySession, RegistrantStatus, Seat
from .services import registrant_respond
from .services_workspace import question_answer, question_ask, seat_claim, workspace_open

CITIZEN = "citoyenne@demo.example"
STAFF = "agent@demo.example"


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localtime() + datetime.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def load(jury: Jury) -> None:
    users = get_user_model().objects
    staff, citizen = users.filter(email=STAFF).first(), users.filter(email=CITIZEN).first()
    if staff is None or citizen is None:
        return  # the demo accounts come first (civicplatform.accounts.demo)
    for person in jury.registrants.filter(status=RegistrantStatus.SELECTED):
        registrant_respond(registrant=person, status=RegistrantStatus.CONFIRMED, actor=staff)
    if not Seat.objects.filter(jury=jury, user=citizen).exists():
        free = jury.registrants.filter(status=RegistrantStatus.CONFIRMED, seat__isnull=True).order_by("pk").first()
        if free is not None:
            seat_claim(registrant=free, user=citizen, actor=staff)
    workspace_open(jury=jury, actor=staff)
    if jury.sessions.exists():
        return
    first = JurySession.objects.create(
        jury=jury,
        title="Séance 1 – Comprendre la circulation au centre-ville",
        starts_at=_at(-5, 9),
        ends_at=_at(-5, 17),
        place="Salle du conseil, mairie",
        agenda="Accueil et présentation des membres\nLe mandat du jury et ses limites\n"
        "Audition : les déplacements en chiffres\nTravail en petits groupes\nQuestions à poser aux experts",
        summary=(
            "Les douze membres ont fait connaissance et relu le mandat. L’observatoire des mobilités a présenté "
            "les comptages : 60 % des trajets de moins de 3 km se font en voiture. Les groupes ont relevé trois "
            "sujets à creuser : le stationnement des résidents, la sécurité des vélos et l’accès des livraisons."
        ),
    )
    second = JurySession.objects.create(
        jury=jury,
        title="Séance 2 – Commerces, livraisons et stationnement",
        starts_at=_at(9, 9),
        ends_at=_at(9, 17),
        place="Salle du conseil, mairie",
        agenda="Retour sur la séance 1\nAudition : les commerçants du centre\nAudition : la logistique urbaine\n"
        "Débat entre membres",
    )
    JurySession.objects.create(
        jury=jury,
        title="Séance 3 – Premières pistes de recommandations",
        starts_at=_at(23, 9),
        ends_at=_at(23, 17),
        place="Médiathèque, salle Loire",
        agenda="Synthèse des auditions\nRédaction des premières recommandations\nOrganisation du vote",
    )
    mobility = ExpertHearing.objects.create(
        session=first,
        expert_name="Claire Besson",
        affiliation="Observatoire régional des mobilités",
        topic="Les déplacements au centre-ville en chiffres",
        interests="Aucun lien avec la commune ni avec des entreprises de transport.",
        order=1,
    )
    ExpertHearing.objects.create(
        session=second,
        expert_name="Marc Aubert",
        affiliation="Union des commerçants de Belleville",
        topic="Ce que les commerces attendent de l’aménagement des rues",
        interests="Président de l’union des commerçants ; gérant d’une boutique rue Pasteur.",
        order=1,
    )
    logistics = ExpertHearing.objects.create(
        session=second,
        expert_name="Samia Haddad",
        affiliation="Université de Tours, laboratoire d’aménagement",
        topic="Les livraisons dans les centres-villes piétons",
        interests="Recherche financée en partie par la région Centre-Val de Loire.",
        order=2,
    )
    BriefingMaterial.objects.create(
        jury=jury,
        session=first,
        title="Les déplacements à Belleville-sur-Loire (diagnostic 2025)",
        summary="Comptages, parts de la voiture, du vélo, du bus et de la marche, accidents sur cinq ans.",
        url="https://example.org/diagnostic-mobilites.pdf",
        order=1,
    )
    BriefingMaterial.objects.create(
        jury=jury,
        session=second,
        title="Plan du stationnement du centre-ville",
        summary="Places en surface et en parking, tarifs, taux d’occupation par heure.",
        url="https://example.org/plan-stationnement.pdf",
        order=2,
    )
    BriefingMaterial.objects.create(
        jury=jury,
        title="Projet de plan de circulation (document de travail)",
        summary="Document de travail des services, réservé aux membres jusqu’à sa présentation au conseil.",
        url="https://example.org/projet-plan-circulation.pdf",
        is_public=False,
        order=3,
    )
    asked = question_ask(
        jury=jury,
        user=citizen,
        addressed_to=mobility.expert_name,
        hearing=mobility,
        text="Combien de trajets vers le centre-ville viennent des communes voisines ?",
    )
    question_answer(
        question=asked,
        answer="Environ 35 % des trajets en voiture vers le centre viennent des communes voisines, "
        "surtout aux heures de marché.",
        answered_by_name="Claire Besson, Observatoire régional des mobilités",
        is_public=True,
        actor=staff,
    )
    question_ask(
        jury=jury,
        user=citizen,
        addressed_to=logistics.expert_name,
        hearing=logistics,
        text="Quelles villes de notre taille ont organisé les livraisons en dehors des heures de marché ?",
    )
