"""News articles (cms.NewsArticlePage) are open to comments, from the forums app."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicplatform.core.registry import has_capability
from cms.models import NewsArticlePage
from cms.tests.fixtures import build_site_tree
from forums.models import Comment

pytestmark = pytest.mark.django_db


def test_news_articles_are_registered_as_commentable():
    assert has_capability("commentable", NewsArticlePage)


def test_a_reader_comments_on_a_news_article_and_sees_the_comment(client, citizen):
    article = build_site_tree()["article"]
    client.force_login(citizen)

    page = client.get(article.url).content.decode()
    assert 'id="comments"' in page
    assert '<label for="id_comment-text">' in page

    response = client.post(
        reverse("forums:comment_create", args=["cms.newsarticlepage", article.pk]),
        {"comment-text": "Enfin rouvert !", "next": article.url},
    )
    comment = Comment.objects.get()
    assert response.url == f"{article.url}?tri_commentaires=recents#comment-{comment.public_id}"
    assert "Enfin rouvert !" in client.get(response.url).content.decode()
