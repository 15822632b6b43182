from __future__ import annotations

import factory

from civicplatform.accounts.tests.factories import UserFactory
from forums.models import (
    Comment,
    Forum,
    ForumVisibility,
    Membership,
    MembershipRole,
    Question,
    QuestionStatus,
    QuestionVote,
    Reaction,
    Thread,
    ThreadKind,
)
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


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    slug = factory.Sequence(lambda n: f"forum-{n}")
    title = factory.Sequence(lambda n: f"Forum {n}")
    description = "Talk about the town."
    visibility = ForumVisibility.PUBLIC


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    forum = factory.SubFactory(ForumFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.MEMBER


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    forum = factory.SubFactory(ForumFactory)
    slug = factory.Sequence(lambda n: f"thread-{n}")
    title = factory.Sequence(lambda n: f"Should the square get more trees? ({n})")
    kind = ThreadKind.DISCUSSION
    author = factory.SubFactory(UserFactory)
    source = "Let us talk about it."
    body = factory.LazyAttribute(lambda thread: render_comment_text(thread.source))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    thread = factory.SubFactory(ThreadFactory, kind=ThreadKind.LIVE_EVENT)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"When will the library open on Sundays? ({n})")
    status = QuestionStatus.APPROVED


class QuestionVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionVote

    question = factory.SubFactory(QuestionFactory)
    user = factory.SubFactory(UserFactory)
