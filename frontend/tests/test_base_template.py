"""The shell every page shares: landmarks, skip link, language, navigation, messages."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib import messages
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from cms.tests.fixtures import build_site_tree

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def home(db):
    return build_site_tree()["home"]


def test_page_has_landmarks_skip_link_and_one_main(home, client):
    html = soup(client.get("/"))
    assert html.find("html")["lang"] == "fr"
    assert html.find("meta", attrs={"name": "viewport"})["content"].startswith("width=device-width")
    skip = html.find("body").find("a")
    assert skip["href"] == "#main-content"
    assert skip.get_text(strip=True) == "Passer au contenu principal"
    assert len(html.find_all("main")) == 1
    assert html.find("main")["id"] == "main-content"
    assert html.find("header", class_="site-header")
    assert html.find("footer", class_="site-footer")
    labels = {nav["aria-label"] for nav in html.find_all("nav")}
    assert {"Navigation principale", "Votre compte"} <= labels
    assert html.find("form", attrs={"role": "search"})["aria-label"] == "Recherche sur le site"


def test_language_switcher_turns_the_site_english_and_back(home, client):
    html = soup(client.get("/"))
    switcher = html.find("form", class_="language-switcher")
    assert switcher["method"] == "post"
    assert {button["value"] for button in switcher.find_all("button")} == {"fr", "en"}

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = soup(client.get("/"))
    assert html.find("html")["lang"] == "en"
    assert html.find("nav", class_="main-nav")["aria-label"] == "Main navigation"
    assert html.find("body").find("a").get_text(strip=True) == "Skip to main content"
    assert "Accessibility: partially compliant" in html.find(class_="site-footer__accessibility").get_text(
        " ", strip=True
    )

    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert soup(client.get("/")).find("html")["lang"] == "fr"


def test_browser_language_alone_does_not_switch_to_english(home, client):
    html = soup(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"))
    assert html.find("html")["lang"] == "fr"


def test_menu_works_without_javascript(home, client):
    html = soup(client.get("/"))
    # The toggle is hidden until main.js runs; the menu itself is never hidden in the markup.
    toggle = html.find("button", attrs={"data-menu-toggle": True})
    assert toggle.has_attr("hidden")
    assert toggle["aria-controls"] == "site-menu"
    assert toggle["aria-expanded"] == "false"
    menu = html.find(id="site-menu")
    assert not menu.has_attr("hidden")
    assert menu.find("nav", class_="main-nav").find("a", href="/")
    scripts = html.find_all("script")
    assert all(script.get("src") for script in scripts), "no inline script bodies"
    assert not html.find(attrs={"style": True})


def test_messages_are_announced_politely(home, rf: RequestFactory):
    request = rf.get("/")
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore

    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    messages.success(request, "Votre projet a bien été déposé.")
    template = engines["django"].from_string('{% extends "base.html" %}{% block title %}Test{% endblock %}')
    html = BeautifulSoup(HttpResponse(template.render({}, request)).content, "html.parser")
    region = html.find(class_="messages")
    assert region["role"] == "status"
    assert region["aria-live"] == "polite"
    assert region.find("li", class_="message--success").get_text(strip=True) == "Votre projet a bien été déposé."
    assert region.find_parent("main")


def test_default_open_graph_tags_name_the_municipality(home, client):
    html = soup(client.get("/recherche/"))
    assert html.find("meta", attrs={"property": "og:site_name"})["content"] == "Belleville-sur-Loire"
    assert html.find("meta", attrs={"name": "description"})["content"]
