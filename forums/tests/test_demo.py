from __future__ import annotations

import io

import pytest
from wagtail.models import Page

from civicplatform.accounts.tests.factories import UserFactory
from forums import demo
from forums.models import Comment

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
