from __future__ import annotations

import io

import pytest
from wagtail.models import Page

from civicplatform.accounts.tests.factories import UserFactory
from forums import demo
from forums.models import Comment, Forum, Question, Thread, ThreadKind

pytestmark = pytest.mark.django_db


def test_the_demo_discussion_is_loaded_once(article, monkeypatch):
    # A plain page stands in for the CMS news article.
    monkeypatch.setattr(demo.apps, "get_model", lambda app_label, model_name: Page)
    for email in ("citoyenne@demo.example", "elu@demo.example", "agent@demo.example"):
        UserFactory(email=email)

    demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())

    comments = Comment.objects.for_target(article)
    assert comments.count() == 4
    assert comments.filter(parent__isnull=False).count() == 2


def test_the_demo_forums_are_loaded_once(db):
    from civicplatform.accounts.tests.factories import StaffFactory

    UserFactory(email="citoyenne@demo.example", pseudonym="Camille")
    UserFactory(email="elu@demo.example", pseudonym="Élu·e Moderation")
    StaffFactory(email="agent@demo.example", pseudonym="Agent Mairie", is_superuser=True)

    demo.load_forums(io.StringIO())
    demo.load_forums(io.StringIO())

    assert Forum.objects.count() == 2
    kinds = set(Thread.objects.values_list("kind", flat=True))
    assert kinds == {ThreadKind.DISCUSSION, ThreadKind.DEBATE, ThreadKind.LIVE_EVENT}
    assert Question.objects.filter(pinned=True).count() == 1
    bureau = Forum.objects.get(slug=demo.BUREAU_SLUG)
    assert bureau.is_members_only
    assert bureau.memberships.count() == 2
