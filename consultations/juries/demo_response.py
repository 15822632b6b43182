"""A second demo citizen jury, completed: on public lighting, with its published report (six
recommendations, five adopted, one minority view), the authority's response to each adopted one
(accepted, partly accepted, rejected, one corrected later) and progress reports at several dates.

The pool, the seats and the outcome are written directly (no draw is replayed: the first demo jury
shows the draw), so loading takes well under a second. Dates are computed from the moment of
loading; loading twice changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from civicplatform.accounts.models import User
from civicplatform.core.services import audit_record

from .models import (
    AuthorityResponse,
    Decision,
    Invitation,
    InvitationBatch,
    Jury,
    JuryPhase,
    JuryPhaseKind,
    JuryReport,
    JuryStatus,
    MinorityView,
    ProgressReport,
    ProgressStatus,
    Recommendation,
    RecommendationStatus,
    RecommendationVote,
    Registrant,
    RegistrantStatus,
    Seat,
    VoteStatus,
)
from .services import household_key

SLUG = "demo-eclairage-public"
PANEL = 12
VOLUNTEERS = 40
LETTERS = 300
STREETS = ["rue des Tilleuls", "avenue de la Gare", "rue Victor-Hugo", "quai de Loire", "impasse des Lilas"]
FIRST_NAMES = ["Amandine", "Joël", "Sabrina", "Marc", "Aïcha", "Thierry", "Noémie", "Rachid", "Odile", "Kevin"]
LAST_NAMES = ["Lefèvre", "Mercier", "Haddad", "Blanc", "Guérin", "Traoré", "Faure", "Chevalier"]

# (title, text, rationale, {level: votes} over 12 members)
RECOMMENDATIONS = [
    (
        "Éteindre l’éclairage de 23 h à 5 h dans les rues résidentielles",
        "Éteindre l’éclairage public de 23 h à 5 h dans les rues résidentielles de toute la commune, en "
        "gardant allumés les axes principaux, la gare et le centre-ville.",
        "Les communes voisines qui l’ont fait ont réduit leur facture d’environ 40 % sans hausse constatée des "
        "cambriolages ni des accidents. La nuit noire protège aussi la faune et le sommeil des habitants.",
        {5: 5, 4: 3, 3: 1, 2: 1, 1: 2, 0: 0},
    ),
    (
        "Remplacer toutes les lampes par des LED d’ici 2028",
        "Remplacer les 3 200 points lumineux encore équipés de lampes au sodium par des lampes LED à "
        "température de couleur chaude (3 000 K au plus), en commençant par les plus anciens.",
        "Les LED consomment deux à trois fois moins et durent plus longtemps ; une lumière chaude gêne moins "
        "les riverains et les insectes.",
        {5: 6, 4: 4, 3: 2, 2: 0, 1: 0, 0: 0},
    ),
    (
        "Maintenir un éclairage renforcé aux passages piétons et aux arrêts de bus",
        "Quelle que soit l’heure, éclairer chaque passage piéton et chaque arrêt de bus par un éclairage "
        "dédié, y compris dans les rues éteintes la nuit.",
        "Les personnes entendues, notamment l’association des usagers des transports, ont insisté sur le "
        "sentiment d’insécurité et le risque d’accident aux traversées.",
        {5: 9, 4: 3, 3: 0, 2: 0, 1: 0, 0: 0},
    ),
    (
        "Installer des détecteurs de présence sur les chemins piétons et au parc",
        "Équiper les chemins piétons, les pistes cyclables et les allées du parc de la Motte de luminaires "
        "qui s’allument au passage et s’atténuent ensuite.",
        "On n’éclaire que lorsque quelqu’un passe : moins de dépense, et de la lumière quand on en a besoin.",
        {5: 3, 4: 5, 3: 2, 2: 1, 1: 0, 0: 1},
    ),
    (
        "Créer une « trame noire » le long de la Loire",
        "Supprimer ou abaisser l’éclairage sur les berges de la Loire et les corridors verts qui y mènent, "
        "pour laisser un couloir de nuit aux chauves-souris et aux oiseaux migrateurs.",
        "La Ligue pour la protection des oiseaux a montré au jury que l’éclairage des berges coupe les "
        "déplacements nocturnes de plusieurs espèces protégées.",
        {5: 4, 4: 4, 3: 2, 2: 1, 1: 1, 0: 0},
    ),
    (
        "Éclairer les terrains de sport jusqu’à minuit",
        "Prolonger l’éclairage des terrains de sport municipaux jusqu’à minuit toute l’année.",
        "Les clubs manquent de créneaux en soirée, surtout l’hiver.",
        {5: 2, 4: 2, 3: 3, 2: 2, 1: 3, 0: 0},
    ),
]

# number -> (decision, reasons, commitments, corrected days after the first answer or None)
RESPONSES = {
    1: (
        Decision.ACCEPTED,
        "Le conseil municipal a adopté le principe de l’extinction nocturne. Les axes principaux, la gare et "
        "le centre-ville restent éclairés, comme le jury le propose.",
        "Essai dans les quartiers Nord et Sud pendant trois mois, puis extinction dans toutes les rues "
        "résidentielles avant la fin de l’année.",
        None,
    ),
    2: (
        Decision.PARTLY,
        "La commune partage l’objectif mais ne peut financer les 3 200 remplacements en trois ans : le coût "
        "est estimé à 2,4 millions d’euros. Le remplacement sera étalé jusqu’en 2030.",
        "Environ 800 points lumineux par an, les plus anciens d’abord ; lumière chaude (3 000 K au plus) "
        "dans tous les nouveaux marchés.",
        None,
    ),
    3: (
        Decision.ACCEPTED,
        "La sécurité des traversées est une priorité. Les passages piétons et les arrêts de bus restent "
        "éclairés toute la nuit, même dans les rues éteintes.",
        "Éclairage dédié posé en même temps que l’extinction nocturne, quartier par quartier.",
        None,
    ),
    4: (
        Decision.REJECTED,
        "Les essais menés par le syndicat d’énergie montrent des pannes fréquentes des détecteurs et un coût "
        "d’entretien élevé. Le parc de la Motte est fermé la nuit ; les chemins piétons seront traités par "
        "l’extinction nocturne et l’abaissement de puissance.",
        "",
        None,
    ),
    5: (
        Decision.PARTLY,
        "Les berges entre le pont de Fer et l’île aux Moines seront rendues à la nuit. Le quai de Loire, très "
        "fréquenté le soir, garde un éclairage abaissé et orienté vers le sol.",
        "Étude avec la Ligue pour la protection des oiseaux, puis travaux sur les berges au printemps.",
        40,
    ),
}
FIRST_ANSWER_TO_R5 = (
    Decision.REJECTED,
    "Le quai de Loire est un lieu de promenade très fréquenté le soir : la commune ne peut pas l’éteindre.",
    "",
)

# (number, days before loading, status, text)
PROGRESS = [
    (1, 200, ProgressStatus.NOT_STARTED, "Délibération du conseil municipal : l’essai est programmé."),
    (1, 120, ProgressStatus.IN_PROGRESS, "Extinction de 23 h à 5 h en essai dans les quartiers Nord et Sud."),
    (
        1,
        30,
        ProgressStatus.DONE,
        "Bilan de l’essai présenté en conseil de quartier ; extinction étendue à toutes les rues résidentielles.",
    ),
    (2, 180, ProgressStatus.IN_PROGRESS, "Première tranche : 850 points lumineux sur 3 200 remplacés."),
    (2, 45, ProgressStatus.IN_PROGRESS, "Deuxième tranche en cours : 1 900 points lumineux sur 3 200 remplacés."),
    (3, 150, ProgressStatus.DONE, "Les 64 passages piétons et 38 arrêts de bus ont leur éclairage dédié."),
    (5, 90, ProgressStatus.IN_PROGRESS, "Étude de la trame noire rendue ; travaux sur les berges commandés."),
]


def load_demo(stdout) -> None:
    if Jury.objects.filter(slug=SLUG).exists():
        return
    now = timezone.now()

    def ago(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

    jury = Jury.objects.create(
        slug=SLUG,
        title="Jury citoyen sur l’éclairage public",
        question="Comment éclairer la commune la nuit en dépensant moins, sans nuire à la sécurité ni à la nature ?",
        remit=(
            "Le jury formule au plus dix recommandations au conseil municipal sur les horaires, les "
            "équipements et les lieux de l’éclairage public, dans les compétences de la commune."
        ),
        out_of_scope="L’éclairage des routes départementales et des bâtiments privés.",
        commissioner="Le conseil municipal de Belleville-sur-Loire",
        commitment=(
            "Le maire répond publiquement à chaque recommandation adoptée dans les trois mois (acceptée, en "
            "partie ou refusée, avec les raisons), puis rend compte de leur mise en œuvre tous les six mois."
        ),
        panel_size=PANEL,
        oversight_group="Syndicat intercommunal d’énergie\nLigue pour la protection des oiseaux, groupe local\n"
        "Conseil de quartier Sud",
        status=JuryStatus.RESPONDED,
        published=True,
    )
    Jury.objects.filter(pk=jury.pk).update(created_at=ago(600))
    for kind, start, end in (
        (JuryPhaseKind.RECRUITMENT, 560, 530),
        (JuryPhaseKind.SELECTION, 530, 520),
        (JuryPhaseKind.SESSIONS, 500, 340),
        (JuryPhaseKind.RESPONSE, 330, 240),
    ):
        JuryPhase.objects.create(jury=jury, kind=kind, starts_at=ago(start), ends_at=ago(end))
    _pool(jury, ago(545))
    members = _seats(jury)
    _outcome(jury, members, ago)
    stdout.write(f"Demo citizen jury: “{jury.title}” (report, responses and progress reports)")


def _pool(jury: Jury, registered_at: datetime.datetime) -> None:
    batch = InvitationBatch.objects.create(
        jury=jury, source_name="liste-demo-eclairage.csv", source_count=4000, source_sha256="", size=LETTERS
    )
    lines = [f"{n} {STREETS[n % len(STREETS)]}" for n in range(1, LETTERS + 1)]
    invitations = Invitation.objects.bulk_create(
        Invitation(
            batch=batch,
            jury=jury,
            address_line=line,
            postcode="37000",
            city="Belleville-sur-Loire",
            household_key=household_key(line, "37000"),
        )
        for line in lines
    )
    Registrant.objects.bulk_create(
        Registrant(
            jury=jury,
            invitation=invitations[n * 7],
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=f"{LAST_NAMES[n % len(LAST_NAMES)]}-{n}",
            email=f"eclairage-volontaire{n}@demo.example",
            consent_at=registered_at,
            status=RegistrantStatus.CONFIRMED if n < PANEL else RegistrantStatus.REGISTERED,
        )
        for n in range(VOLUNTEERS)
    )


def _seats(jury: Jury) -> list[User]:
    """The twelve members' accounts (no password: a demo member cannot log in) and seats."""
    people = list(jury.registrants.filter(status=RegistrantStatus.CONFIRMED).order_by("id"))
    users = User.objects.bulk_create(
        User(
            email=f"eclairage-membre{n}@demo.example",
            pseudonym=f"Membre éclairage {n + 1}",
            password=make_password(None),
        )
        for n in range(len(people))
    )
    Seat.objects.bulk_create(Seat(jury=jury, registrant=p, user=u) for p, u in zip(people, users, strict=True))
    return users


def _outcome(jury: Jury, members: list[User], ago) -> None:
    recommendations = []
    tally = {}
    for number, (title, text, rationale, votes) in enumerate(RECOMMENDATIONS, start=1):
        supporting, expressed = votes[5] + votes[4], sum(votes.values()) - votes[0]
        adopted = 100 * supporting >= 60 * expressed
        recommendations.append(
            Recommendation(
                jury=jury,
                number=number,
                title=title,
                text=text,
                rationale=rationale,
                status=RecommendationStatus.ADOPTED if adopted else RecommendationStatus.NOT_ADOPTED,
                created_by=members[number % len(members)],
            )
        )
        tally[str(number)] = {str(level): count for level, count in votes.items()}
    recommendations = Recommendation.objects.bulk_create(recommendations)
    by_number = {r.number: r for r in recommendations}
    vote = RecommendationVote.objects.create(
        jury=jury,
        title="Vote final sur les recommandations",
        threshold_percent=60,
        status=VoteStatus.CLOSED,
        closes_at=ago(345),
        closed_at=ago(345),
        tally=tally,
    )
    vote.recommendations.set(recommendations)
    minority = MinorityView.objects.create(
        jury=jury,
        recommendation=by_number[1],
        title="Abaisser plutôt qu’éteindre",
        text=(
            "Nous pensons qu’un éclairage abaissé à 30 % de 23 h à 5 h rassurerait les personnes qui rentrent "
            "tard à pied, pour une économie presque aussi grande que l’extinction."
        ),
        created_by=members[2],
    )
    minority.signatories.set(members[2:5])
    JuryReport.objects.create(
        jury=jury,
        introduction=(
            "Pendant cinq week-ends, douze habitantes et habitants tirés au sort ont entendu des experts, des "
            "associations et des agents de la commune, visité les quartiers de nuit et délibéré. Voici nos "
            "recommandations et le résultat de notre vote."
        ),
        method="Chaque recommandation a été votée à bulletin secret ; 60 % de soutien étaient nécessaires.",
        published_at=ago(330),
    )
    for number, (decision, reasons, commitments, corrected_after) in RESPONSES.items():
        response = AuthorityResponse.objects.create(
            recommendation=by_number[number], decision=decision, reasons=reasons, commitments=commitments
        )
        responded_at = ago(250 - 2 * number)
        updated_at = responded_at + datetime.timedelta(days=corrected_after) if corrected_after else responded_at
        AuthorityResponse.objects.filter(pk=response.pk).update(responded_at=responded_at, updated_at=updated_at)
        if corrected_after:
            # As response_publish records a correction: the wording it replaced, in the audit log.
            previous = dict(zip(("decision", "reasons", "commitments"), FIRST_ANSWER_TO_R5, strict=True))
            audit_record(
                action="juries.response_updated",
                target=response,
                data={"jury": jury.slug, "number": number, "decision": decision, "previous": previous},
            )
    for number, days, status, text in PROGRESS:
        progress = ProgressReport.objects.create(
            recommendation=by_number[number], status=status, text=text, reported_on=ago(days).date()
        )
        ProgressReport.objects.filter(pk=progress.pk).update(created_at=ago(days))
