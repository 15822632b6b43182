from __future__ import annotations

import pytest
from wagtail.models import Page

from cms.models import (
    AccessibilityPage,
    HomePage,
    LegalPage,
    NewsArticlePage,
    NewsIndexPage,
    StandardPage,
)

pytestmark = pytest.mark.django_db


def allowed_children(model: type[Page]) -> set[type[Page]]:
    return set(model.allowed_subpage_models())


def test_home_page_sits_at_the_root_and_holds_the_site_sections():
    assert HomePage.allowed_parent_page_models() == [Page]
    assert allowed_children(HomePage) == {StandardPage, NewsIndexPage, LegalPage, AccessibilityPage}


def test_standard_pages_nest_under_home_or_each_other_only():
    assert set(StandardPage.allowed_parent_page_models()) == {HomePage, StandardPage}
    assert allowed_children(StandardPage) == {StandardPage}


def test_news_articles_live_only_in_a_news_index():
    assert NewsIndexPage.allowed_parent_page_models() == [HomePage]
    assert allowed_children(NewsIndexPage) == {NewsArticlePage}
    assert NewsArticlePage.allowed_parent_page_models() == [NewsIndexPage]
    assert allowed_children(NewsArticlePage) == set()


def test_legal_pages_hang_off_the_home_page_and_have_no_children():
    for model in (LegalPage, AccessibilityPage):
        assert model.allowed_parent_page_models() == [HomePage]
        assert allowed_children(model) == set()


def test_an_article_cannot_be_created_directly_under_the_home_page(site_tree):
    assert not NewsArticlePage.can_create_at(site_tree["home"])
    assert NewsArticlePage.can_create_at(site_tree["news_index"])


def test_there_is_only_one_home_page_and_one_accessibility_statement(site_tree):
    root = Page.get_first_root_node()
    assert not HomePage.can_create_at(root)
    assert not AccessibilityPage.can_create_at(site_tree["home"])
    assert LegalPage.can_create_at(site_tree["home"])


def test_the_fixture_tree_is_published_and_served_from_the_default_site(site_tree, client):
    assert all(page.live for page in site_tree.values())
    assert site_tree["home"].url == "/"
    assert set(site_tree) >= {"home", "standard", "news_index", "article", "accessibility"}
    assert not Page.objects.filter(depth=2).exclude(pk=site_tree["home"].pk).exists()
