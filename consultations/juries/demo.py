"""Demo citizen jury for Belleville-sur-Loire: letters sent, volunteers registered, quotas from
census shares, and a public draw already made (so the draw page and its files can be checked
with `manage.py jury_verify`). Dates are computed from the moment of loading; loading twice
changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from .models import Channel, Feature, FeatureValue, Jury, JuryPhase, JuryPhaseKind, JuryStatus
from .services import (
    invitation_batch_draw,
    quotas_from_census,
    registrant_register,
    selection_commit,
    selection_compute,
    selection_draw,
)

SLUG = "demo-voiture-centre-ville"
OVERSIGHT = [
    "Association des usagers des transports",
    "Université de Tours, laboratoire de science politique",
    "Conseil de quartier Nord",
]

# key, question, [(key, label, census share %)]
FEATURES = [
    (
        "age",
        "Tranche d’âge",
        [
            ("16-29", "16 à 29 ans", 20),
            ("30-44", "30 à 44 ans", 24),
            ("45-59", "45 à 59 ans", 26),
            ("60-plus", "60 ans et plus", 30),
        ],
    ),
    (
        "genre",
        "Genre",
        [("femme", "Femme", 52), ("homme", "Homme", 46), ("autre", "Autre ou ne souhaite pas répondre", 2)],
    ),
    ("quartier", "Quartier", [("centre", "Centre", 35), ("nord", "Nord", 33), ("sud", "Sud", 32)]),
    (
        "diplome",
        "Diplôme le plus élevé",
        [("aucun-cap", "Aucun, CAP ou BEP", 40), ("bac", "Baccalauréat", 25), ("superieur", "Études supérieures", 35)],
    ),
]
STREETS = [
    "rue des Écoles",
    "avenue de la Loire",
    "rue du Moulin",
    "place de la Mairie",
    "chemin des Vignes",
    "rue Pasteur",
]
FIRST_NAMES = [
    "Camille",
    "Dominique",
    "Lucie",
    "Karim",
    "Inès",
    "Hugo",
    "Chantal",
    "Mathis",
    "Fatou",
    "Yves",
    "Léa",
    "Bernard",
]
LAST_NAMES = ["Martin", "Bernard", "Diallo", "Moreau", "Petit", "Nguyen", "Garcia", "Roux", "Fournier", "Benali"]
# The pool skews older and more educated than the population, as real pools do.
SKEW = {"age": [1, 2, 3, 4], "genre": [50, 48, 2], "quartier": [40, 30, 30], "diplome": [2, 3, 5]}


def load_demo(stdout) -> None:
    if Jury.objects.filter(slug=SLUG).exists():
        return
    now = timezone.now()
    rng = random.Random(8)  # noqa: S311 - demo data, not a draw
    jury = Jury.objects.create(
        slug=SLUG,
        title="Quelle place pour la voiture en centre-ville ?",
        question="Comment partager l’espace public du centre-ville entre piétons, vélos, bus et voitures d’ici 2030 ?",
        remit=(
            "Le jury formule au plus quinze recommandations au conseil municipal sur la circulation, le "
            "stationnement et l’aménagement des rues du centre-ville, dans les compétences de la commune."
        ),
        out_of_scope="Les routes départementales et la ligne de train régionale (compétences d’autres collectivités).",
        commissioner="Le conseil municipal de Belleville-sur-Loire",
        commitment=(
            "Le maire répondra publiquement à chaque recommandation dans les trois mois (acceptée, en partie "
            "ou refusée, avec les raisons), puis rendra compte de leur mise en œuvre tous les six mois."
        ),
        panel_size=12,
        oversight_group="\n".join(OVERSIGHT),
        status=JuryStatus.RECRUITING,
        published=True,
    )
    # The timeline matches the content: recruitment and the draw are over, the sessions (demo_workspace,
    # from five days ago to three weeks ahead) are under way and the response comes after. Recruitment is
    # open while the demo volunteers register on the web, and closed once the panel is drawn.
    recruitment = JuryPhase.objects.create(
        jury=jury,
        kind=JuryPhaseKind.RECRUITMENT,
        starts_at=now - datetime.timedelta(days=60),
        ends_at=now + datetime.timedelta(days=1),
    )
    JuryPhase.objects.create(
        jury=jury,
        kind=JuryPhaseKind.SELECTION,
        starts_at=now - datetime.timedelta(days=30),
        ends_at=now - datetime.timedelta(days=20),
    )
    JuryPhase.objects.create(
        jury=jury,
        kind=JuryPhaseKind.SESSIONS,
        starts_at=now - datetime.timedelta(days=6),
        ends_at=now + datetime.timedelta(days=40),
    )
    JuryPhase.objects.create(
        jury=jury,
        kind=JuryPhaseKind.RESPONSE,
        starts_at=now + datetime.timedelta(days=40),
        ends_at=now + datetime.timedelta(days=130),
    )
    for order, (key, label, values) in enumerate(FEATURES):
        feature = Feature.objects.create(jury=jury, key=key, label=label, order=order)
        for value_order, (value_key, value_label, share) in enumerate(values):
            FeatureValue.objects.create(
                feature=feature, key=value_key, label=value_label, order=value_order, census_share=share
            )
    quotas_from_census(jury=jury, actor=None)
    addresses = [
        {"address_line": f"{n} {street}", "postcode": "37000", "city": "Belleville-sur-Loire", "addressee": ""}
        for street in STREETS
        for n in range(1, 61)
    ]
    batch = invitation_batch_draw(
        jury=jury, rows=addresses, size=150, source_name="liste-demo.csv", source_sha256="", actor=None
    )
    invitations = list(batch.invitations.all())
    for invitation in invitations[:70]:
        # A few households send two volunteers: only one of them can be seated.
        for _ in range(2 if rng.random() < 0.15 else 1):
            answers = {key: rng.choices([v[0] for v in values], weights=SKEW[key])[0] for key, _, values in FEATURES}
            registrant_register(
                jury=jury,
                code=invitation.response_code,
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)}-{invitation.pk}-{rng.randrange(1000)}",
                email=f"volontaire{invitation.pk}-{rng.randrange(10**6)}@demo.example",
                answers=answers,
                consent=True,
                channel=Channel.WEB if rng.random() < 0.8 else Channel.PHONE,
            )
    run = selection_commit(jury=jury, algorithm="maximin", lottery_size=1000, actor=None)
    run = selection_compute(run_id=run.pk, legacy_runs=50)
    selection_draw(
        run=run,
        dice="4 0 7 3",
        seeds=[],
        witnesses="Mme Dupont (huissière), M. Leroy (conseil de quartier Nord)",
        actor=None,
    )
    JuryPhase.objects.filter(pk=recruitment.pk).update(ends_at=now - datetime.timedelta(days=30))
    stdout.write(f"Demo citizen jury: “{jury.title}” (panel of {jury.panel_size} drawn in public)")
    from .demo_workspace import load as load_workspace  # the seated jury's workspace

    load_workspace(jury)
    from .demo_recommendations import load as load_recommendations  # drafts, an open vote, a minority view

    load_recommendations(jury)
