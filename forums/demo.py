"""Demo content: a discussion under the latest news article, and the forums of a district
council (a discussion, a debate, a live event with questions, a members-only forum). Idempotent."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from civicplatform.accounts.models import User
from forums.models import (
    Alignment,
    Comment,
    Forum,
    ForumVisibility,
    MembershipRole,
    Question,
    QuestionStatus,
    QuestionVote,
    Reaction,
    Thread,
    ThreadKind,
)
from forums.services import membership_set
from forums.text import render_comment_text

DISCUSSION = [
    # (author e-mail, text, index of the comment it answers or None)
    (
        "citoyenne@demo.example",
        "Très bonne nouvelle ! Est-ce que les producteurs du marché du samedi seront aussi accueillis ?",
        None,
    ),
    (
        "elu@demo.example",
        "Oui, le samedi matin reste ouvert à tous les producteurs.\n\n"
        "Le détail des horaires est sur https://example.org/marche-couvert",
        0,
    ),
    ("citoyenne@demo.example", "Merci pour la réponse rapide.", 1),
    ("agent@demo.example", "Un parking vélo couvert sera installé devant l’entrée nord d’ici l’été.", None),
]


def load_demo(stdout) -> None:
    load_forums(stdout)
    load_article_comments(stdout)


def load_article_comments(stdout) -> None:
    try:
        article_model = apps.get_model("cms", "NewsArticlePage")
    except LookupError:
        return
    article = article_model.objects.live().order_by("-pk").first()
    if article is None or Comment.objects.for_target(article).exists():
        return
    people = {user.email: user for user in User.objects.filter(email__in={row[0] for row in DISCUSSION})}
    if len(people) < len({row[0] for row in DISCUSSION}):
        return  # the demo accounts come from civicplatform.accounts.demo, loaded first
    created: list[Comment] = []
    with transaction.atomic():
        for email, text, answers in DISCUSSION:
            parent = created[answers] if answers is not None else None
            created.append(
                Comment.objects.create(
                    target=article,
                    parent=parent,
                    root_id=(parent.root_id or parent.pk) if parent else None,
                    depth=parent.depth + 1 if parent else 0,
                    author=people[email],
                    source=text,
                    body=render_comment_text(text),
                )
            )
        Reaction.objects.create(comment=created[0], user=people["agent@demo.example"], value=1)
        Reaction.objects.create(comment=created[3], user=people["citoyenne@demo.example"], value=1)
    stdout.write(f"Demo comments added under “{article.title}”.")


# ---------------------------------------------------------------- forums

FORUM_SLUG = "conseil-quartier-centre"
BUREAU_SLUG = "bureau-conseil-centre"
CITIZEN, ELECTED, STAFF = "citoyenne@demo.example", "elu@demo.example", "agent@demo.example"

DISCUSSION_THREAD = {
    "slug": "eclairage-parc-des-tilleuls",
    "title": "Éclairage du parc des Tilleuls le soir",
    "author": CITIZEN,
    "text": "Le parc est très sombre dès 18 h en hiver. Pourrait-on ajouter quelques lampadaires "
    "le long de l’allée principale, sans gêner les riverains ?",
    "comments": [
        (ELECTED, "Merci pour la remarque. Les services techniques passeront la semaine prochaine.", None),
        (STAFF, "Des lampadaires à détection de présence sont à l’étude pour limiter la pollution lumineuse.", None),
        (CITIZEN, "> Des lampadaires à détection de présence\n\nBonne idée, @Agent Mairie !", 1),
    ],
}
DEBATE = {
    "slug": "pietonniser-rue-du-marche",
    "title": "Faut-il rendre la rue du Marché piétonne le samedi ?",
    "text": "Le conseil de quartier rendra un avis au maire. Donnez vos arguments pour, contre, ou nuancés.",
    "arguments": [
        (CITIZEN, Alignment.FOR, "Les enfants pourraient circuler en sécurité et les terrasses s’agrandir."),
        (
            STAFF,
            Alignment.AGAINST,
            "Les livraisons du matin et l’accès des personnes à mobilité réduite posent question.",
        ),
        (ELECTED, Alignment.NEUTRAL, "Un essai de trois mois permettrait de mesurer l’effet sur les commerces."),
    ],
}
LIVE_EVENT = {
    "slug": "conseil-municipal-12-mars",
    "title": "Conseil municipal du 12 mars, questions du public",
    "text": "Posez vos questions pendant la séance : les modérateurs les transmettent au maire.",
    "questions": [
        (CITIZEN, "Quand la piscine municipale rouvrira-t-elle après les travaux ?", QuestionStatus.APPROVED, True),
        (STAFF, "Le budget participatif 2027 sera-t-il augmenté ?", QuestionStatus.APPROVED, False),
        (CITIZEN, "Où en est le projet de jardin partagé rue des Lilas ?", QuestionStatus.ANSWERED, False),
        (STAFF, "Peut-on installer des bancs devant la médiathèque ?", QuestionStatus.PENDING, False),
    ],
}


def _comment(target, author, text, parent=None, alignment=""):
    return Comment.objects.create(
        target=target,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author=author,
        source=text,
        body=render_comment_text(text),
        alignment=alignment,
    )


def _thread(forum, author, spec, kind=ThreadKind.DISCUSSION):
    return Thread.objects.create(
        forum=forum,
        slug=spec["slug"],
        title=spec["title"],
        kind=kind,
        author=author,
        source=spec["text"],
        body=render_comment_text(spec["text"]),
    )


def load_forums(stdout) -> None:
    """A public district-council forum with a discussion, a debate and a live event, and the
    council bureau's members-only forum. Loaded once: nothing happens if the forum exists."""
    if Forum.objects.filter(slug=FORUM_SLUG).exists():
        return
    people = {user.email: user for user in User.objects.filter(email__in=[CITIZEN, ELECTED, STAFF])}
    if len(people) < 3 or not people[STAFF].is_staff:
        return  # the demo accounts come from civicplatform.accounts.demo, loaded first
    with transaction.atomic():
        forum = Forum.objects.create(
            slug=FORUM_SLUG,
            title="Conseil de quartier Centre",
            description="Les échanges du conseil de quartier Centre, ouverts à tous les habitants.",
            visibility=ForumVisibility.PUBLIC,
            order=1,
        )
        discussion = _thread(forum, people[DISCUSSION_THREAD["author"]], DISCUSSION_THREAD)
        created = []
        for email, text, answers in DISCUSSION_THREAD["comments"]:
            parent = created[answers] if answers is not None else None
            created.append(_comment(discussion, people[email], text, parent))
        Reaction.objects.create(comment=created[1], user=people[CITIZEN], value=1)

        debate = _thread(forum, people[ELECTED], DEBATE, ThreadKind.DEBATE)
        for email, side, text in DEBATE["arguments"]:
            _comment(debate, people[email], text, alignment=side)

        event = _thread(forum, people[ELECTED], LIVE_EVENT, ThreadKind.LIVE_EVENT)
        for email, text, status, pinned in LIVE_EVENT["questions"]:
            question = Question.objects.create(
                thread=event, author=people[email], text=text, status=status, pinned=pinned
            )
            if status == QuestionStatus.APPROVED and people[email] != people[ELECTED]:
                QuestionVote.objects.create(question=question, user=people[ELECTED])

        bureau = Forum.objects.create(
            slug=BUREAU_SLUG,
            title="Bureau du conseil de quartier Centre",
            description="Réservé aux membres du bureau : préparation des séances.",
            visibility=ForumVisibility.MEMBERS,
            order=2,
        )
        membership_set(forum=bureau, user=people[CITIZEN], role=MembershipRole.MEMBER, actor=people[STAFF])
        membership_set(forum=bureau, user=people[ELECTED], role=MembershipRole.MODERATOR, actor=people[STAFF])
        _thread(
            bureau,
            people[ELECTED],
            {
                "slug": "ordre-du-jour-avril",
                "title": "Ordre du jour de la séance d’avril",
                "text": "Proposez les points à inscrire à l’ordre du jour avant le 25 mars.",
            },
        )
    stdout.write(f"Demo forums: /forums/{FORUM_SLUG}/ (public) and /forums/{BUREAU_SLUG}/ (members only).")
