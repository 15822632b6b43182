from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicplatform.core import registry
from cms.models import NewsArticlePage, StandardPage
from cms.tests.fixtures import make_image

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def meta(page_soup: BeautifulSoup, prop: str) -> str | None:
    tag = page_soup.find("meta", attrs={"property": prop}) or page_soup.find("meta", attrs={"name": prop})
    return tag["content"] if tag else None


@pytest.mark.parametrize("key", ["home", "standard", "news_index", "article", "accessibility", "legal_notice"])
def test_every_page_type_renders_with_exactly_one_h1_holding_its_title(site_tree, client, key):
    page = site_tree[key]
    response = client.get(page.url)
    assert response.status_code == 200
    h1s = soup(response).find_all("h1")
    assert len(h1s) == 1
    assert h1s[0].get_text(strip=True) == page.title


def test_home_page_shows_hero_text_and_latest_news(site_tree, client):
    page = soup(client.get("/"))
    assert "la ville se construit avec vous" in page.find(class_="hero").get_text()
    news = page.find("section", attrs={"aria-labelledby": "news-title"})
    assert news.find("a", string="Le marché couvert rouvre ses portes")["href"] == site_tree["article"].url
    assert news.find("a", href=site_tree["news_index"].url)


def test_home_page_shows_featured_participations_from_the_registry(site_tree, client, monkeypatch):
    item = registry.FeaturedItem(
        title="Rénover le square des Tilleuls",
        summary="Votez pour les projets du budget participatif.",
        url="/budgets/2026/",
        kind="Budget participatif",
        status="Vote ouvert",
    )
    monkeypatch.setitem(registry._featured_providers, "test-budgets", lambda limit: [item])
    featured = soup(client.get("/")).find("section", attrs={"aria-labelledby": "featured-title"})
    link = featured.find("a", string="Rénover le square des Tilleuls")
    assert link["href"] == "/budgets/2026/"
    assert "Vote ouvert" in featured.get_text()
    assert "Budget participatif" in featured.get_text()


def test_home_page_says_so_when_nothing_is_open(site_tree, client, monkeypatch):
    monkeypatch.setattr(registry, "_featured_providers", {})
    featured = soup(client.get("/")).find("section", attrs={"aria-labelledby": "featured-title"})
    assert featured.find("ul") is None
    assert featured.find("p").get_text(strip=True)


def test_standard_page_renders_its_stream_blocks(site_tree, client):
    page = site_tree["standard"]
    image = make_image("Permanence en mairie")
    page.body = [
        ("heading", {"text": "Les étapes", "level": "h2"}),
        (
            "image",
            {"image": image, "alt_text": "Un agent aide une habitante", "decorative": False, "caption": "En mairie"},
        ),
        ("image", {"image": image, "alt_text": "", "decorative": True, "caption": ""}),
        (
            "faq",
            {
                "title": "Questions",
                "questions": [{"question": "Faut-il un compte ?", "answer": "<p>Oui, gratuit.</p>"}],
            },
        ),
        (
            "call_to_action",
            {
                "title": "Lancez-vous",
                "text": "",
                "page": site_tree["news_index"],
                "url": "",
                "button_label": "Lire les actualités",
            },
        ),
        ("quote", {"text": "La ville, c'est nous.", "attribution": "Une habitante"}),
    ]
    page.save_revision().publish()
    html = soup(client.get(page.url))
    article = html.find("article")
    assert article.find("h2", string="Les étapes")
    images = article.find_all("img")
    assert images[0]["alt"] == "Un agent aide une habitante"
    assert images[1]["alt"] == ""
    for img in images:
        assert img["loading"] == "lazy"
        assert "400w" in img["srcset"]
        assert img["sizes"]
    assert article.find("figcaption", string="En mairie")
    details = article.find("details")
    assert details.find("summary").get_text(strip=True) == "Faut-il un compte ?"
    assert "Oui, gratuit." in details.get_text()
    assert article.find("a", string="Lire les actualités")["href"] == site_tree["news_index"].url
    assert article.find("blockquote")


def test_article_shows_date_intro_image_and_body(site_tree, client):
    article = site_tree["article"]
    html = soup(client.get(article.url))
    assert html.find("time", attrs={"datetime": "2026-03-14"})
    assert article.intro in html.find(class_="lead").get_text()
    img = html.find("article").find("img")
    assert img["alt"] == "Les halles du marché couvert, façade en brique"
    assert "Les étals ouvrent du mardi au dimanche." in html.find("article").get_text()


def test_pages_carry_open_graph_tags(site_tree, client):
    html = soup(client.get(site_tree["article"].url))
    assert meta(html, "og:title") == "Le marché couvert rouvre ses portes"
    assert meta(html, "og:description") == site_tree["article"].intro
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:image").startswith("http")
    assert meta(html, "og:image:alt") == "Les halles du marché couvert, façade en brique"
    assert meta(html, "og:site_name") == "Belleville-sur-Loire"
    assert meta(html, "description") == site_tree["article"].intro
    standard = soup(client.get(site_tree["standard"].url))
    assert meta(standard, "og:title") == "Comment participer ?"
    assert meta(standard, "og:type") == "website"
    assert meta(standard, "og:image") is None


def test_pages_below_home_have_a_breadcrumb(site_tree, client):
    trail = soup(client.get(site_tree["article"].url)).find("nav", class_="breadcrumb")
    assert [a["href"] for a in trail.find_all("a")] == ["/", site_tree["news_index"].url]
    assert trail.find(attrs={"aria-current": "page"}).get_text() == site_tree["article"].title
    assert soup(client.get("/")).find("nav", class_="breadcrumb") is None


def test_accessibility_statement_shows_the_status_from_site_settings(site_tree, client):
    html = soup(client.get(site_tree["accessibility"].url))
    status = html.find(class_="accessibility-status").get_text(" ", strip=True)
    assert "partiellement conforme" in status
    assert "RGAA" in status
    assert "72 %" in html.find("dl").get_text()
    assert html.find("a", href="https://formulaire.defenseurdesdroits.fr/")


def test_legal_page_shows_its_body(site_tree, client):
    html = soup(client.get(site_tree["personal_data"].url))
    assert "Responsable du traitement" in html.find("article").get_text()


def _add_articles(news_index, count: int) -> None:
    for number in range(count):
        article = NewsArticlePage(
            title=f"Article {number}",
            slug=f"article-{number}",
            date=datetime.date(2026, 4, 1) + datetime.timedelta(days=number),
            intro=f"Résumé {number}",
            image=make_image(f"Image {number}", size=(320, 200)),
            image_alt=f"Illustration {number}",
        )
        news_index.add_child(instance=article)
        article.save_revision().publish()


def test_news_index_lists_newest_first_and_paginates(site_tree, client):
    index = site_tree["news_index"]
    _add_articles(index, 11)
    first = soup(client.get(index.url))
    titles = [h2.get_text(strip=True) for h2 in first.find("ul", class_="news-list").find_all("h2")]
    assert titles[0] == "Article 10"
    assert len(titles) == 10
    pagination = first.find("nav", class_="pagination")
    assert pagination.find("a", rel="next")["href"] == "?page=2"
    second = soup(client.get(index.url, {"page": 2}))
    titles = [h2.get_text(strip=True) for h2 in second.find("ul", class_="news-list").find_all("h2")]
    assert titles == ["Article 0", "Le marché couvert rouvre ses portes"]
    assert second.find("a", rel="prev")
    # A page number out of range shows the last page instead of an error.
    assert client.get(index.url, {"page": "999"}).status_code == 200


def test_news_index_query_count_does_not_grow_with_articles(site_tree, client, django_assert_max_num_queries):
    index = site_tree["news_index"]
    client.get(index.url)  # warm up: renditions and site root paths
    with CaptureQueriesContext(connection) as few:
        client.get(index.url)
    # Read it now: every request clears the connection's query log.
    baseline = len(few.captured_queries)
    _add_articles(index, 9)
    client.get(index.url)
    with django_assert_max_num_queries(baseline):
        response = client.get(index.url)
    assert len(soup(response).find("ul", class_="news-list").find_all("li")) == 10


def test_unpublished_pages_are_not_served(site_tree, client):
    site_tree["home"].add_child(instance=StandardPage(title="Brouillon", slug="brouillon", live=False))
    assert client.get("/brouillon/").status_code == 404
