"""Demo participatory budgets for Belleville-sur-Loire (civicplatform/territory/demo.py).

"Budget participatif 2026" is in its vote when the demo is loaded (dates are computed
from the moment of loading), so a newcomer sees the ballot at once; "Budget participatif
2024" is over and its winning projects show their implementation milestones.
Loading twice changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from civicplatform.accounts.models import User
from civicplatform.territory.models import District

from .models import (
    BallotType,
    Budget,
    BudgetPhase,
    BudgetProcess,
    Category,
    Milestone,
    PhaseKind,
    Project,
    ProjectStatus,
    TallyRule,
    VotingScope,
)

CURRENT_SLUG = "budget-participatif-2026"
PAST_SLUG = "budget-participatif-2024"
# A fictional place in the Loiret; the projects sit within a few kilometres of it.
ORIGIN = (Decimal("47.900000"), Decimal("1.900000"))

CATEGORIES = [
    ("Nature et environnement", "nature-environnement"),
    ("Mobilités", "mobilites"),
    ("Sport et loisirs", "sport-loisirs"),
    ("Culture et patrimoine", "culture-patrimoine"),
    ("Solidarité et vivre-ensemble", "solidarite"),
    ("Cadre de vie", "cadre-de-vie"),
]

# (title, summary, description, cost, category slug, district slug or None for city-wide,
#  (latitude offset, longitude offset) in thousandths of a degree or None, address, status, review reason)
CURRENT_PROJECTS = [
    (
        "Une forêt urbaine au parc des Tilleuls",
        "Planter 300 arbres d’essences locales pour créer un îlot de fraîcheur.",
        "Sur la pelouse nord du parc des Tilleuls, plantation dense selon la méthode Miyawaki, avec les écoles "
        "du quartier. Arrosage les deux premiers étés par les services des espaces verts.",
        48000,
        "nature-environnement",
        None,
        (4, -6),
        "Parc des Tilleuls, entrée rue des Écoles",
        ProjectStatus.FEASIBLE,
        "Faisable. Le service des espaces verts a vérifié la nature du sol ; coût revu avec l’arrosage.",
    ),
    (
        "Piste cyclable entre la gare et le lycée",
        "Une piste séparée de la circulation sur l’avenue de la République.",
        "1,2 km de piste bidirectionnelle protégée, pour que les lycéens viennent à vélo en sécurité.",
        210000,
        "mobilites",
        None,
        (-2, 3),
        "Avenue de la République, de la gare au lycée Jean-Zay",
        ProjectStatus.FEASIBLE,
        "Faisable. Le coût comprend le déplacement de deux candélabres.",
    ),
    (
        "Des fontaines à eau dans les parcs",
        "Installer cinq fontaines d’eau potable accessibles aux fauteuils roulants.",
        "Une fontaine dans chacun des cinq grands parcs de la ville, raccordée au réseau et hors gel l’hiver.",
        35000,
        "cadre-de-vie",
        None,
        (1, 1),
        "Parcs de la ville",
        ProjectStatus.FEASIBLE,
        "",
    ),
    (
        "Une boîte à livres et un banc au square Jean-Moulin",
        "Un lieu d’échange de livres à l’ombre, près de l’aire de jeux.",
        "Une boîte à livres fabriquée par le chantier d’insertion, un banc et une poubelle de tri.",
        4500,
        "culture-patrimoine",
        "centre-ville",
        (0, -1),
        "Square Jean-Moulin",
        ProjectStatus.FEASIBLE,
        "",
    ),
    (
        "Éclairer le passage de la Poste",
        "Des lampadaires à détection de présence dans le passage piéton.",
        "Le passage entre la rue Nationale et le parking de la Poste est très sombre le soir.",
        18000,
        "cadre-de-vie",
        "centre-ville",
        (1, 0),
        "Passage de la Poste",
        ProjectStatus.FEASIBLE,
        "Faisable avec des lampadaires solaires, moins coûteux que prévu.",
    ),
    (
        "Un city-stade aux Près-Verts",
        "Un terrain multisport clos, ouvert à tous, près du collège.",
        "Terrain de 22 m sur 12 m, revêtement synthétique, paniers de basket et buts de handball.",
        85000,
        "sport-loisirs",
        "les-pres-verts",
        (6, 4),
        "Terrain vague derrière le collège des Près-Verts",
        ProjectStatus.FEASIBLE,
        "",
    ),
    (
        "Jardins partagés des Près-Verts",
        "Vingt parcelles cultivables et un récupérateur d’eau de pluie.",
        "Parcelles attribuées pour un an aux habitants du quartier, avec une parcelle pour l’école.",
        22000,
        "nature-environnement",
        "les-pres-verts",
        (7, 2),
        "Rue des Jardins",
        ProjectStatus.FEASIBLE,
        "",
    ),
    (
        "Des toilettes publiques à Saint-Martin",
        "Des toilettes accessibles et gratuites près du marché.",
        "Un module autonettoyant accessible aux personnes à mobilité réduite, place Saint-Martin.",
        60000,
        "cadre-de-vie",
        "saint-martin",
        (-5, -4),
        "Place Saint-Martin",
        ProjectStatus.FEASIBLE,
        "",
    ),
    (
        "Une fresque sur le mur de l’ancienne usine",
        "Une œuvre murale réalisée par des artistes et les jeunes du quartier.",
        "Ateliers avec la maison de quartier pendant les vacances, puis réalisation sur 40 m de mur.",
        15000,
        "culture-patrimoine",
        "saint-martin",
        (-6, -3),
        "Rue de l’Usine",
        ProjectStatus.FEASIBLE,
        "",
    ),
    (
        "Abris à vélos sécurisés à la gare",
        "Quarante places de vélo fermées et éclairées.",
        "Un abri fermé par badge, accessible avec la carte de transport.",
        70000,
        "mobilites",
        "la-gare",
        (-3, 5),
        "Parvis nord de la gare",
        ProjectStatus.FEASIBLE,
        "",
    ),
    (
        "Un frigo solidaire à la maison de quartier",
        "Un réfrigérateur partagé pour éviter le gaspillage alimentaire.",
        "Géré par l’association des habitants, avec un protocole d’hygiène validé par la ville.",
        6000,
        "solidarite",
        "la-gare",
        (-2, 6),
        "Maison de quartier de la Gare",
        ProjectStatus.FEASIBLE,
        "",
    ),
    (
        "Un ponton de pêche accessible sur la Loire",
        "Un ponton en bois pour pêcher et observer le fleuve, accessible en fauteuil.",
        "Ponton de 12 m avec garde-corps, à la place de l’ancienne cale.",
        90000,
        "sport-loisirs",
        "bords-de-loire",
        (-8, 0),
        "Quai de Loire, ancienne cale",
        ProjectStatus.FEASIBLE,
        "Faisable. Autorisation de l’État sur le domaine public fluvial obtenue.",
    ),
    (
        "Une piscine olympique",
        "Un bassin de 50 m pour les clubs de la ville.",
        "Un équipement couvert de 50 m avec gradins.",
        480000,
        "sport-loisirs",
        None,
        None,
        "",
        ProjectStatus.UNFEASIBLE,
        "Non faisable dans ce budget : une piscine de 50 m coûte plus de 15 millions d’euros et relève du plan "
        "pluriannuel d’investissement de l’agglomération.",
    ),
    (
        "Un parking souterrain place du Marché",
        "Deux cents places de stationnement sous la place.",
        "Creuser sous la place du Marché pour libérer la surface.",
        400000,
        "mobilites",
        "centre-ville",
        None,
        "Place du Marché",
        ProjectStatus.UNFEASIBLE,
        "Non faisable : le coût dépasse le budget du quartier et la place est en zone archéologique protégée.",
    ),
    (
        "Planter des arbres dans le parc des Tilleuls",
        "Plus d’arbres et d’ombre au parc.",
        "Il manque de l’ombre l’été au parc des Tilleuls.",
        30000,
        "nature-environnement",
        None,
        (4, -5),
        "Parc des Tilleuls",
        ProjectStatus.MERGED,
        "",
    ),
]

PAST_PROJECTS = [
    # (title, summary, cost, category slug, offset, status, milestones as (days from now, title, progress, status))
    (
        "Aire de jeux inclusive au parc de la Mairie",
        "Des jeux accessibles aux enfants en situation de handicap.",
        120000,
        "sport-loisirs",
        (2, -2),
        ProjectStatus.COMPLETED,
        [
            (-420, "Choix des jeux avec les familles", 10, "Étude terminée"),
            (-300, "Début des travaux", 50, "Travaux en cours"),
            (-200, "Inauguration", 100, "Terminé"),
        ],
    ),
    (
        "Rénovation du kiosque à musique",
        "Remettre en état le kiosque du square pour les concerts d’été.",
        90000,
        "culture-patrimoine",
        (0, 2),
        ProjectStatus.IN_PROGRESS,
        [
            (-250, "Diagnostic de la charpente", 20, "Étude terminée"),
            (-60, "Charpente et toiture refaites", 60, "Travaux en cours"),
        ],
    ),
    (
        "Composteurs collectifs dans les résidences",
        "Dix composteurs partagés avec un guide composteur.",
        25000,
        "nature-environnement",
        (5, 5),
        ProjectStatus.SELECTED,
        [],
    ),
    (
        "Un skatepark au bord de la Loire",
        "Un espace de glisse en béton pour tous les niveaux.",
        150000,
        "sport-loisirs",
        (-7, 1),
        ProjectStatus.NOT_SELECTED,
        [],
    ),
    (
        "Navette électrique du centre-ville",
        "Une navette gratuite entre les quartiers et le centre.",
        280000,
        "mobilites",
        None,
        ProjectStatus.NOT_SELECTED,
        [],
    ),
]


def _point(offset: tuple[int, int] | None) -> tuple[Decimal | None, Decimal | None]:
    if offset is None:
        return None, None
    return ORIGIN[0] + Decimal(offset[0]) / 1000, ORIGIN[1] + Decimal(offset[1]) / 1000


def _phases(process: BudgetProcess, now: datetime.datetime, plan: list[tuple[str, int, int, bool]]) -> None:
    for kind, start_days, end_days, enabled in plan:
        BudgetPhase.objects.create(
            process=process,
            kind=kind,
            starts_at=now + datetime.timedelta(days=start_days),
            ends_at=now + datetime.timedelta(days=end_days),
            enabled=enabled,
        )


def _categories(process: BudgetProcess) -> dict[str, Category]:
    return {slug: Category.objects.create(process=process, name=name, slug=slug) for name, slug in CATEGORIES}


def _load_current(now: datetime.datetime, districts: dict[str, District], author: User | None) -> BudgetProcess:
    process = BudgetProcess.objects.create(
        slug=CURRENT_SLUG,
        title="Budget participatif 2026",
        description=(
            "500 000 € pour la ville entière et 100 000 € par quartier : ce sont les habitants qui proposent "
            "les projets et qui votent.\n\nChacun peut voter pour les projets de son quartier et pour ceux de la "
            "ville entière, dès 16 ans, après vérification de son adresse."
        ),
        voting_scope=VotingScope.OWN_DISTRICT_AND_CITYWIDE,
        ballot_type=BallotType.KNAPSACK,
        tally_rule=TallyRule.GREEDY,
        min_age=16,
        created_at=now - datetime.timedelta(days=130),
    )
    _phases(
        process,
        now,
        [
            (PhaseKind.INFORMATION, -120, -90, True),
            (PhaseKind.SUBMISSION, -90, -60, True),
            (PhaseKind.REVIEW, -60, -30, True),
            # Switched off this year: every feasible project goes to the vote.
            (PhaseKind.SHORTLIST, -30, -20, False),
            (PhaseKind.VOTING, -7, 21, True),
            (PhaseKind.RESULTS, 21, 35, True),
            (PhaseKind.IMPLEMENTATION, 35, 730, True),
        ],
    )
    budgets = {None: Budget.objects.create(process=process, slug="ville", name="Toute la ville", amount=500000)}
    for slug, district in districts.items():
        budgets[slug] = Budget.objects.create(
            process=process, slug=slug, name=f"Quartier {district.name}", district=district, amount=100000
        )
    categories = _categories(process)
    merge_target = None
    for index, row in enumerate(CURRENT_PROJECTS):
        title, summary, description, cost, category, district_slug, offset, address, status, reason = row
        latitude, longitude = _point(offset)
        final_cost = None
        if "coût revu" in reason:
            final_cost = cost + 4000
        elif "moins coûteux" in reason:
            final_cost = cost - 5000
        project = Project.objects.create(
            process=process,
            budget=budgets[district_slug],
            title=title,
            summary=summary,
            description=description,
            cost=cost,
            final_cost=final_cost,
            category=categories[category],
            district=districts.get(district_slug) if district_slug else None,
            address=address,
            latitude=latitude,
            longitude=longitude,
            author=author if index % 3 == 0 else None,
            status=status,
            review_reason=reason,
            reviewed_at=now - datetime.timedelta(days=35),
            created_at=now - datetime.timedelta(days=62 + index * 2),
        )
        if index == 0:
            merge_target = project
        if status == ProjectStatus.MERGED:
            project.merged_into = merge_target
            project.review_reason = f"Fusionné avec un projet semblable : « {merge_target.title} »."
            project.save(update_fields=["merged_into", "review_reason"])
    return process


def _load_past(now: datetime.datetime) -> BudgetProcess:
    process = BudgetProcess.objects.create(
        slug=PAST_SLUG,
        title="Budget participatif 2024",
        description="La première édition : 300 000 € pour des projets proposés et choisis par les habitants.",
        voting_scope=VotingScope.ALL,
        ballot_type=BallotType.APPROVAL,
        max_projects=3,
        tally_rule=TallyRule.GREEDY,
        created_at=now - datetime.timedelta(days=800),
    )
    _phases(
        process,
        now,
        [
            (PhaseKind.SUBMISSION, -780, -730, True),
            (PhaseKind.REVIEW, -730, -680, True),
            (PhaseKind.VOTING, -660, -640, True),
            (PhaseKind.RESULTS, -640, -620, True),
            (PhaseKind.IMPLEMENTATION, -620, -1, True),
        ],
    )
    budget = Budget.objects.create(process=process, slug="ville", name="Toute la ville", amount=300000)
    categories = _categories(process)
    for index, (title, summary, cost, category, offset, status, milestones) in enumerate(PAST_PROJECTS):
        latitude, longitude = _point(offset)
        progress = max((m[2] for m in milestones), default=0)
        project = Project.objects.create(
            process=process,
            budget=budget,
            title=title,
            summary=summary,
            cost=cost,
            category=categories[category],
            latitude=latitude,
            longitude=longitude,
            status=status,
            progress=progress,
            created_at=now - datetime.timedelta(days=770 - index),
        )
        for days, milestone_title, milestone_progress, milestone_status in milestones:
            Milestone.objects.create(
                project=project,
                date=(now + datetime.timedelta(days=days)).date(),
                title=milestone_title,
                progress=milestone_progress,
                status=milestone_status,
            )
    return process


def load_demo(stdout) -> None:
    if BudgetProcess.objects.filter(slug__in=[CURRENT_SLUG, PAST_SLUG]).exists():
        return
    districts = {district.slug: district for district in District.objects.order_by("name")}
    if not districts:
        return  # the districts come from civicplatform.territory.demo, loaded first
    author = User.objects.filter(email="citoyenne@demo.example").first()
    now = timezone.now()
    with transaction.atomic():
        current = _load_current(now, districts, author)
        past = _load_past(now)
    stdout.write(f"Demo participatory budgets: “{current.title}” (vote open) and “{past.title}” (finished)")
