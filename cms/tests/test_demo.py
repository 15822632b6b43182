from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page

from cms import demo
from cms.models import AccessibilityPage, LegalPage, NavigationSettings, NewsArticlePage, SiteBranding, StandardPage

pytestmark = pytest.mark.django_db


def test_demo_content_loads_twice_without_duplicates(client):
    demo.load_demo(io.StringIO())
    counts = Page.objects.count()
    demo.load_demo(io.StringIO())
    assert Page.objects.count() == counts
    assert NewsArticlePage.objects.live().count() == 4
    assert StandardPage.objects.filter(title="Comment participer ?").exists()
    assert LegalPage.objects.count() == 2
    assert AccessibilityPage.objects.count() == 1
    navigation = NavigationSettings.load()
    assert navigation.footer_links.count() == 3


def test_demo_home_page_renders_with_news_and_partial_compliance(client):
    demo.load_demo(io.StringIO())
    html = BeautifulSoup(client.get("/").content, "html.parser")
    assert html.find("h1").get_text(strip=True) == "Bienvenue à Belleville-sur-Loire"
    assert len(html.find("section", attrs={"aria-labelledby": "news-title"}).find_all("li")) == 3
    assert "partiellement conforme" in html.find(class_="site-footer__accessibility").get_text()
    SiteBranding.load().full_clean()


def test_every_demo_page_renders(client):
    demo.load_demo(io.StringIO())
    for page in Page.objects.live().filter(depth__gt=1):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert len(BeautifulSoup(response.content, "html.parser").find_all("h1")) == 1
