"""Demo consultations for Belleville-sur-Loire (civicplatform/territory/demo.py).

"Mobilités à Belleville" is a questionnaire open when the demo is loaded, with one
question of each type and 60 responses already given (without accounts) so that its
results page has something to show. A local consultation on the market square is open
(the demo elector may vote), and last spring's referendum on the swimming pool is closed,
its paper ballots counted, with the quorum met. A deliberative poll on the tramway has
a panel of 24 (the demo elected official among them) who answered before the
deliberation; 23 have answered again after it, and the after-wave is still open. The
opinion map "Le centre-ville de demain" has 16 statements and 60 participants whose
votes fall into groups, computed at load time. Dates
are computed from the moment of loading. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
import secrets

from django.db import transaction
from django.utils import timezone

from civicplatform.accounts.models import User
from civicplatform.ballots.models import Channel
from civicplatform.ballots.services import ballots_import
from civicplatform.territory.models import Municipality

from .models import (
    Answer,
    BriefingDocument,
    Conversation,
    ConversationPhase,
    DeliberationEvent,
    EventKind,
    LocalVote,
    Option,
    PanelMember,
    PhaseKind,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireKind,
    QuestionnairePhase,
    Response,
    ResultsVisibility,
    Section,
    Statement,
    StatementVote,
    TextAnswer,
    VoteKind,
    VotePhase,
)

SURVEY_SLUG = "mobilites-a-belleville"
DAY = datetime.timedelta(days=1)

# (section, [(kind, text, help, required, options, rows, extra)])
SURVEY = [
    (
        "Vos déplacements",
        [
            (
                QuestionKind.SINGLE,
                "Comment venez-vous le plus souvent au centre-ville ?",
                "",
                True,
                ["À pied", "À vélo", "En bus", "En voiture"],
                [],
                {},
            ),
            (
                QuestionKind.MULTIPLE,
                "Quels aménagements utiliseriez-vous ?",
                "",
                False,
                ["Pistes cyclables séparées", "Arceaux à vélo", "Bancs", "Abris de bus", "Parkings relais"],
                [],
                {"max_choices": 3},
            ),
            (
                QuestionKind.RANKING,
                "Classez ces priorités pour la rue de la République",
                "",
                False,
                ["Sécurité des piétons", "Fluidité de la circulation", "Stationnement", "Arbres et ombre"],
                [],
                {},
            ),
        ],
    ),
    (
        "Votre avis",
        [
            (
                QuestionKind.SCALE,
                "Êtes-vous satisfait·e des déplacements en ville ?",
                "",
                True,
                [],
                [],
                {"scale_min": 1, "scale_max": 5, "scale_min_label": "pas du tout", "scale_max_label": "tout à fait"},
            ),
            (
                QuestionKind.MATRIX,
                "Comment jugez-vous ces trajets ?",
                "Une réponse par ligne.",
                False,
                ["Agréable", "Acceptable", "Difficile"],
                ["Gare – centre", "Écoles – centre", "Bords de Loire"],
                {},
            ),
            (
                QuestionKind.TEXT,
                "Une idée pour mieux se déplacer ?",
                "Ne donnez pas d’informations personnelles.",
                False,
                [],
                [],
                {"max_length": 500},
            ),
        ],
    ),
]

IDEAS = [
    "Une navette gratuite le samedi entre la gare et le marché.",
    "Des arceaux à vélo devant la médiathèque.",
    "Ralentir les voitures devant l'école Jean-Jaurès.",
    "Plus d'ombre sur le chemin des bords de Loire.",
]


def _build(now: datetime.datetime) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        slug=SURVEY_SLUG,
        title="Mobilités à Belleville",
        summary="Comment vous déplacez-vous, et qu'est-ce qui vous aiderait ? Dix minutes pour préparer le plan vélo.",
        introduction=(
            "La ville prépare son plan de mobilités 2027-2032. Vos réponses aideront le conseil municipal "
            "à choisir les premiers aménagements.\n\nLes résultats sont publics pendant toute la consultation."
        ),
        min_verification_level=1,
        results_visibility=ResultsVisibility.ALWAYS,
        published=True,
    )
    QuestionnairePhase.objects.create(
        questionnaire=questionnaire, kind=PhaseKind.ANSWER, starts_at=now - 5 * DAY, ends_at=now + 25 * DAY
    )
    for section_index, (title, questions) in enumerate(SURVEY):
        section = Section.objects.create(questionnaire=questionnaire, title=title, sort_order=section_index)
        for index, (kind, text, help_text, required, options, rows, extra) in enumerate(questions):
            question = Question.objects.create(
                section=section, kind=kind, text=text, help_text=help_text, required=required, sort_order=index, **extra
            )
            for position, label in enumerate(options):
                Option.objects.create(question=question, text=label, sort_order=position)
            for position, label in enumerate(rows):
                Option.objects.create(question=question, text=label, sort_order=position, is_row=True)
    return questionnaire


def _responses(questionnaire: Questionnaire, count: int, now: datetime.datetime) -> None:
    """Answers without accounts, drawn with a fixed seed (the same demo every time)."""
    draw = random.Random(2026)  # noqa: S311 - demo data, not security
    questions = list(Question.objects.filter(section__questionnaire=questionnaire).prefetch_related("options"))
    for index in range(count):
        response = Response.objects.create(questionnaire=questionnaire, anonymous_key=secrets.token_hex(16))
        rows: list[Answer] = []
        for question in questions:
            columns = [o for o in question.options.all() if not o.is_row]
            if question.kind == QuestionKind.SINGLE:
                rows.append(Answer(response=response, question=question, option=draw.choices(columns, [3, 2, 2, 4])[0]))
            elif question.kind == QuestionKind.MULTIPLE:
                for option in draw.sample(columns, draw.randint(1, question.max_choices or 1)):
                    rows.append(Answer(response=response, question=question, option=option))
            elif question.kind == QuestionKind.RANKING:
                for rank, option in enumerate(draw.sample(columns, draw.randint(2, len(columns))), start=1):
                    rows.append(Answer(response=response, question=question, option=option, value=rank))
            elif question.kind == QuestionKind.SCALE:
                rows.append(
                    Answer(
                        response=response, question=question, value=draw.choices([1, 2, 3, 4, 5], [1, 3, 4, 3, 1])[0]
                    )
                )
            elif question.kind == QuestionKind.MATRIX:
                for row in (o for o in question.options.all() if o.is_row):
                    rows.append(Answer(response=response, question=question, row=row, option=draw.choice(columns)))
            elif question.kind == QuestionKind.TEXT and index < len(IDEAS):
                TextAnswer.objects.create(
                    response=response, question=question, text=IDEAS[index], approved_at=now if index < 3 else None
                )
        Answer.objects.bulk_create(rows)


CONSULTATION_SLUG = "place-du-marche"
REFERENDUM_SLUG = "piscine-municipale"


def _local_votes(now: datetime.datetime) -> None:
    municipality = Municipality.objects.first()
    electors = (municipality.registered_electors if municipality else 0) or 9800
    consultation = LocalVote.objects.create(
        kind=VoteKind.CONSULTATION,
        slug=CONSULTATION_SLUG,
        title="Consultation sur la place du Marché",
        question="Êtes-vous favorable à ce que la place du Marché devienne piétonne le samedi ?",
        description="Le conseil municipal demande l'avis des électeurs avant de décider.",
        deliberation_reference="Délibération n° 2026-031",
        deliberation_date=(now - 70 * DAY).date(),
        registered_electors=electors,
        published=True,
    )
    VotePhase.objects.create(vote=consultation, starts_at=now - DAY, ends_at=now + 6 * DAY)
    referendum = LocalVote.objects.create(
        kind=VoteKind.REFERENDUM,
        slug=REFERENDUM_SLUG,
        title="Référendum local sur la piscine municipale",
        question="Approuvez-vous le projet de délibération confiant la rénovation de la piscine à la commune ?",
        deliberation_reference="Délibération n° 2025-112",
        deliberation_date=(now - 200 * DAY).date(),
        registered_electors=electors,
        published=True,
    )
    VotePhase.objects.create(vote=referendum, starts_at=now - 121 * DAY, ends_at=now - 120 * DAY)
    # Counted at the polling stations, which kept their own registers: no named voter here.
    counts = {"yes": electors * 31 // 100, "no": electors * 19 // 100, "blank": electors * 2 // 100}
    ballots_import(
        election=referendum,
        choices=[{"choice": choice} for choice, count in counts.items() for _n in range(count)],
        channel=Channel.PAPER,
        actor=None,
    )


POLL_SLUG = "tramway-sondage-deliberatif"


def _poll(now: datetime.datetime) -> Questionnaire:
    poll = Questionnaire.objects.create(
        slug=POLL_SLUG,
        kind=QuestionnaireKind.DELIBERATIVE,
        title="Sondage délibératif : un tramway pour Belleville ?",
        summary="Un panel de 24 habitants répond avant et après deux journées de délibération.",
        introduction="Le panel a été recruté pour refléter la population (âge, quartier, métier).",
        min_verification_level=1,
        results_visibility=ResultsVisibility.ALWAYS,
        published=True,
    )
    for kind, start, end in (
        (PhaseKind.BEFORE, -30, -20),
        (PhaseKind.DELIBERATION, -20, -2),
        (PhaseKind.AFTER, -2, 12),
    ):
        QuestionnairePhase.objects.create(
            questionnaire=poll, kind=kind, starts_at=now + start * DAY, ends_at=now + end * DAY
        )
    DeliberationEvent.objects.create(
        questionnaire=poll,
        kind=EventKind.SESSION,
        title="Première journée : les besoins",
        starts_at=now - 15 * DAY,
        place="Salle des fêtes",
    )
    DeliberationEvent.objects.create(
        questionnaire=poll,
        kind=EventKind.HEARING,
        title="Audition : coûts et tracés",
        starts_at=now - 8 * DAY,
        place="Salle des fêtes",
        speakers="Une ingénieure de l'agglomération, un économiste des transports",
    )
    BriefingDocument.objects.create(
        questionnaire=poll,
        title="Le projet en 10 questions",
        summary="Tracés étudiés, coût (80 M€), calendrier et arguments pour et contre, relus par les deux camps.",
    )
    section = Section.objects.create(questionnaire=poll, title="Le projet")
    support = Question.objects.create(
        section=section,
        kind=QuestionKind.SCALE,
        text="Êtes-vous favorable à un tramway ?",
        sort_order=1,
        scale_min=1,
        scale_max=5,
        scale_min_label="pas du tout",
        scale_max_label="tout à fait",
    )
    route = Question.objects.create(
        section=section, kind=QuestionKind.SINGLE, text="Quel tracé préférez-vous ?", sort_order=2
    )
    routes = [
        Option.objects.create(question=route, text=text, sort_order=i)
        for i, text in enumerate(["Nord", "Sud", "Aucun"])
    ]
    quiz = Question.objects.create(
        section=section,
        kind=QuestionKind.SINGLE,
        text="Quel est le coût estimé du projet ?",
        sort_order=3,
        is_knowledge=True,
    )
    costs = [
        Option.objects.create(question=quiz, text=text, sort_order=i, is_correct=text == "80 M€")
        for i, text in enumerate(["8 M€", "80 M€", "800 M€"])
    ]
    rating = Question.objects.create(
        section=section,
        kind=QuestionKind.SCALE,
        text="Les documents d'information étaient équilibrés",
        sort_order=4,
        after_only=True,
        scale_min=1,
        scale_max=5,
    )
    draw = random.Random(1994)  # noqa: S311 - demo data
    official = User.objects.filter(email="elu@demo.example").first()
    panel = [
        User.objects.create_user(email=f"panel-{n:02d}@demo.example", password=None, pseudonym=f"Panéliste {n}")
        for n in range(1, 24)
    ]
    for person in [*panel, *([official] if official else [])]:
        PanelMember.objects.create(questionnaire=poll, person=person)
    for person in [*panel, *([official] if official else [])]:
        before = draw.choice([1, 2, 2, 3, 3, 4])
        waves = [("before", before, draw.choice(routes[:2] + [routes[2]] * 2), draw.choice(costs))]
        if person != official:
            after = min(5, before + draw.choice([0, 1, 1, 2]))
            waves.append(
                (
                    "after",
                    after,
                    draw.choice(routes[:2] * 2 + [routes[2]]),
                    costs[1] if draw.random() < 0.8 else costs[0],
                )
            )
        for wave, value, chosen_route, cost in waves:
            response = Response.objects.create(questionnaire=poll, respondent=person, wave=wave)
            rows = [
                Answer(response=response, question=support, value=value),
                Answer(response=response, question=route, option=chosen_route),
                Answer(response=response, question=quiz, option=cost),
            ]
            if wave == "after":
                rows.append(Answer(response=response, question=rating, value=draw.choice([3, 4, 4, 5])))
            Answer.objects.bulk_create(rows)
    return poll


MAP_SLUG = "centre-ville-de-demain"
STATEMENTS = [
    # (text, leaning): +1 liked by the "calm streets" camp, -1 by the "access by car" camp, 0 by everyone
    ("Les rues commerçantes devraient être piétonnes le week-end.", 1),
    ("Il faut garder le stationnement gratuit place de la Mairie.", -1),
    ("Plus d'arbres et d'ombre dans les rues du centre.", 0),
    ("Les livraisons devraient se faire avant 10 h.", 1),
    ("Une navette gratuite depuis les parkings relais aiderait.", 0),
    ("Le centre doit rester accessible en voiture pour les personnes âgées.", -1),
    ("Des bancs tous les cent mètres.", 0),
    ("Limiter la vitesse à 20 km/h dans tout le centre.", 1),
    ("Rouvrir la rue du Pont à la circulation.", -1),
    ("Un marché couvert ouvert tous les jours.", 0),
    ("Moins de places de stationnement, plus de terrasses.", 1),
    ("Un parking souterrain sous la place du Marché.", -1),
    ("Des toilettes publiques gratuites et propres.", 0),
    ("Des pistes cyclables séparées sur les grands axes.", 1),
    ("Les commerçants doivent être consultés avant tout changement.", -1),
    ("Éclairer mieux les rues la nuit.", 0),
]


def _opinion_map(now: datetime.datetime) -> Conversation:
    from .services.opinions import grouping_compute

    conversation = Conversation.objects.create(
        slug=MAP_SLUG,
        title="Le centre-ville de demain",
        topic=(
            "Comment rendre le centre-ville plus agréable ? "
            "Votez sur les propositions des autres et ajoutez les vôtres."
        ),
        min_verification_level=1,
        published=True,
    )
    ConversationPhase.objects.create(conversation=conversation, starts_at=now - 10 * DAY, ends_at=now + 20 * DAY)
    statements = [
        Statement.objects.create(conversation=conversation, text=text, is_seed=True) for text, _lean in STATEMENTS
    ]
    draw = random.Random(2015)  # noqa: S311 - demo data
    people = [
        User.objects.create_user(email=f"carte-{n:02d}@demo.example", password=None, pseudonym=f"Habitant·e {n}")
        for n in range(1, 61)
    ]
    votes = []
    for index, person in enumerate(people):
        camp = 1 if index % 3 else -1
        for statement, (_text, lean) in zip(statements, STATEMENTS, strict=True):
            if draw.random() < 0.15:
                continue  # not seen
            likes = lean == 0 or lean == camp
            value = 1 if likes else -1
            if draw.random() < 0.15:
                value = draw.choice([0, -value])
            votes.append(StatementVote(statement=statement, conversation=conversation, participant=person, value=value))
    StatementVote.objects.bulk_create(votes)
    grouping_compute(conversation=conversation)
    return conversation


def load_demo(stdout) -> None:
    if Questionnaire.objects.filter(slug=SURVEY_SLUG).exists():
        return
    if not User.objects.exists():
        return  # accounts come first (civicplatform.accounts.demo)
    now = timezone.now()
    with transaction.atomic():
        survey = _build(now)
        _responses(survey, 60, now)
        _local_votes(now)
        _poll(now)
        _opinion_map(now)
    stdout.write(
        f"Demo consultations: questionnaire “{survey.title}” (open, 60 responses), "
        "a local consultation (open), a referendum (closed, quorum met), a deliberative poll and an opinion map"
    )
