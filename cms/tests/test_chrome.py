"""Menus, footer and branding: what every page's header and footer show from the CMS."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from civicplatform.core import registry
from cms.models import AccessibilityStatus, FooterLink, MainMenuLink, NavigationSettings, SiteBranding

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def main_nav(html: BeautifulSoup):
    return html.find("nav", class_="main-nav")


def test_footer_links_to_the_legal_pages(site_tree, client):
    footer = soup(client.get("/")).find("footer")
    hrefs = [a["href"] for a in footer.find_all("a")]
    assert site_tree["legal_notice"].url in hrefs
    assert site_tree["personal_data"].url in hrefs
    assert site_tree["accessibility"].url in hrefs


def test_footer_shows_the_accessibility_status_line(site_tree, client):
    line = soup(client.get(site_tree["standard"].url)).find(class_="site-footer__accessibility")
    assert line.get_text(" ", strip=True) == "Accessibilité\xa0: partiellement conforme"
    assert line.find("a")["href"] == site_tree["accessibility"].url


def test_footer_status_follows_the_site_setting(site_tree, client):
    branding = SiteBranding.load()
    branding.accessibility_status = AccessibilityStatus.NONE
    branding.save()
    line = soup(client.get("/")).find(class_="site-footer__accessibility")
    assert line.get_text(" ", strip=True) == "Accessibilité\xa0: non conforme"


def test_footer_shows_the_status_even_before_the_statement_is_written(client, db):
    html = soup(client.get("/recherche/"))
    line = html.find(class_="site-footer__accessibility")
    assert "Accessibilité" in line.get_text()
    assert line.find("a") is None


def test_editors_choose_extra_menu_and_footer_links(site_tree, client):
    navigation = NavigationSettings.load()
    navigation.main_menu_links = [MainMenuLink(link_page=site_tree["news_index"], label="Toutes les nouvelles")]
    navigation.footer_links = [
        FooterLink(link_page=site_tree["standard"]),
        FooterLink(label="Service-Public.fr", link_url="https://www.service-public.fr/"),
    ]
    navigation.save()
    html = soup(client.get(site_tree["news_index"].url))
    link = main_nav(html).find("a", string="Toutes les nouvelles")
    assert link["href"] == site_tree["news_index"].url
    assert link["aria-current"] == "page"
    footer = html.find("footer")
    assert footer.find("a", string="Comment participer ?")["href"] == site_tree["standard"].url
    assert footer.find("a", string="Service-Public.fr")["href"] == "https://www.service-public.fr/"


def test_menu_links_to_unpublished_pages_are_hidden(site_tree, client):
    navigation = NavigationSettings.load()
    navigation.main_menu_links = [MainMenuLink(link_page=site_tree["standard"])]
    navigation.save()
    site_tree["standard"].unpublish()
    assert main_nav(soup(client.get("/"))).find("a", string="Comment participer ?") is None


def test_main_navigation_shows_registered_sections_in_order(site_tree, client, monkeypatch):
    monkeypatch.setitem(
        registry._nav_sections, "fake-later", registry.NavSection("fake-later", "Rubrique test B", "search", 1002)
    )
    monkeypatch.setitem(
        registry._nav_sections, "fake-first", registry.NavSection("fake-first", "Rubrique test A", "search", 1001)
    )
    labels = [a.get_text(strip=True) for a in main_nav(soup(client.get("/"))).find_all("a")]
    assert labels[0] == "Accueil"
    assert labels.index("Rubrique test A") < labels.index("Rubrique test B")
    # Every registered section is in the menu, whatever app registered it.
    assert len(labels) == 1 + len(registry.nav_sections())


def test_a_section_whose_url_is_missing_does_not_break_the_page(site_tree, client, monkeypatch):
    monkeypatch.setitem(registry._nav_sections, "broken", registry.NavSection("broken", "Cassé", "nowhere:index"))
    response = client.get("/")
    assert response.status_code == 200
    assert main_nav(soup(response)).find("a", string="Cassé") is None


def test_current_section_is_marked_for_assistive_technology(site_tree, client, monkeypatch):
    monkeypatch.setitem(registry._nav_sections, "search", registry.NavSection("search", "Recherche", "search"))
    nav = main_nav(soup(client.get("/recherche/")))
    assert nav.find("a", string="Recherche")["aria-current"] == "page"
    assert not nav.find("a", string="Accueil").has_attr("aria-current")


def test_brand_name_logo_and_colours_come_from_site_settings(site_tree, client):
    branding = SiteBranding.load()
    branding.municipality_name = "Saint-Loup-des-Vignes"
    branding.primary_colour = "#145c74"
    branding.primary_dark_colour = "#0c3f50"
    from cms.tests.fixtures import make_image

    branding.logo = make_image("Blason")
    branding.save()
    html = soup(client.get("/"))
    header = html.find("header")
    assert header.find(class_="site-header__name").get_text(strip=True) == "Saint-Loup-des-Vignes"
    assert header.find("img")["alt"] == ""
    style = html.find("style").get_text()
    assert "--colour-primary:#145c74" in style
    assert "--colour-primary-dark:#0c3f50" in style
    assert html.find("title").get_text().endswith("Saint-Loup-des-Vignes")
