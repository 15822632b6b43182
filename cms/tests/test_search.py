from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import resolve, reverse

from cms import views
from cms.models import StandardPage

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_search_url_round_trips():
    assert reverse("search") == "/recherche/"
    assert resolve("/recherche/").func is views.search


def test_search_finds_a_published_page_by_its_content(site_tree, client):
    response = client.get(reverse("search"), {"q": "marché"})
    html = soup(response)
    results = html.find("ol", class_="search-results")
    link = results.find("a", string="Le marché couvert rouvre ses portes")
    assert link["href"] == site_tree["article"].url
    assert html.find(attrs={"role": "status"}).get_text(strip=True)
    assert html.find("input", attrs={"name": "q"})["value"] == "marché"


def test_search_ignores_unpublished_pages(site_tree, client):
    site_tree["home"].add_child(
        instance=StandardPage(title="Projet confidentiel de marché", slug="confidentiel", live=False)
    )
    html = soup(client.get(reverse("search"), {"q": "confidentiel"}))
    assert html.find("ol", class_="search-results") is None


def test_search_without_words_invites_to_type_some(site_tree, client):
    html = soup(client.get(reverse("search")))
    assert html.find("ol", class_="search-results") is None
    assert html.find("label", attrs={"for": "search-page-q"})
    assert html.find("h1")


def test_search_results_are_paginated(site_tree, client):
    for number in range(12):
        site_tree["home"].add_child(
            instance=StandardPage(title=f"Quartier fleuri {number}", slug=f"quartier-fleuri-{number}")
        )
    first = soup(client.get(reverse("search"), {"q": "fleuri"}))
    assert len(first.find("ol", class_="search-results").find_all("li")) == 10
    next_link = first.find("nav", class_="pagination").find("a", rel="next")
    assert "q=fleuri" in next_link["href"]
    assert "page=2" in next_link["href"]
    second = soup(client.get(reverse("search"), {"q": "fleuri", "page": 2}))
    results = second.find("ol", class_="search-results")
    assert len(results.find_all("li")) == 2
    assert results["start"] == "11"


def test_search_accepts_get_only(client, db):
    assert client.post(reverse("search"), {"q": "marché"}).status_code == 405


def test_very_long_queries_are_cut_not_refused(site_tree, client):
    response = client.get(reverse("search"), {"q": "marché " * 100})
    assert response.status_code == 200
    assert len(soup(response).find("input", attrs={"name": "q"})["value"]) <= 200
