"""Demo discussion under the latest news article: a few comments, replies and reactions."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from civicplatform.accounts.models import User
from forums.models import Comment, Reaction
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
