from __future__ import annotations

import factory

from civicplatform.accounts.tests.factories import UserFactory
from forums.models import Comment, Reaction
from forums.text import render_comment_text


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment written straight to the database (no rate limit). Pass `target=`
    for a top-level comment, or `parent=` for a reply (the target follows)."""

    class Meta:
        model = Comment

    author = factory.SubFactory(UserFactory)
    source = factory.Sequence(lambda n: f"Comment number {n}: the square needs more trees.")
    body = factory.LazyAttribute(lambda comment: render_comment_text(comment.source))
    parent = None
    target = factory.LazyAttribute(lambda comment: comment.parent.target if comment.parent else None)
    root = factory.LazyAttribute(lambda comment: (comment.parent.root or comment.parent) if comment.parent else None)
    depth = factory.LazyAttribute(lambda comment: comment.parent.depth + 1 if comment.parent else 0)


class ReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reaction

    comment = factory.SubFactory(CommentFactory)
    user = factory.SubFactory(UserFactory)
    value = 1
