"""The header and footer are cached per host and language (cms.chrome): an edit must show at once."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.models import PageViewRestriction

from cms.models import FooterLink, MainMenuLink, NavigationSettings, SiteBranding

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def main_nav_labels(html: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in html.find("nav", class_="main-nav").find_all("a")]


def footer_labels(html: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in html.find("footer").find_all("a")]


@pytest.fixture
def menu(site_tree):
    navigation = NavigationSettings.load()
    navigation.main_menu_links = [MainMenuLink(link_page=site_tree["news_index"], label="Toutes les nouvelles")]
    navigation.footer_links = [FooterLink(link_page=site_tree["standard"])]
    navigation.save()
    return navigation


def test_a_menu_link_added_after_the_menu_was_cached_shows_at_once(menu, client):
    assert "Service-Public.fr" not in main_nav_labels(soup(client.get("/")))
    menu.main_menu_links.add(MainMenuLink(label="Service-Public.fr", link_url="https://www.service-public.fr/"))
    menu.save()
    assert main_nav_labels(soup(client.get("/")))[-1] == "Service-Public.fr"
    assert "Service-Public.fr" in main_nav_labels(soup(client.get("/recherche/")))


def test_a_removed_footer_link_disappears_at_once(menu, client):
    assert "Comment participer ?" in footer_labels(soup(client.get("/recherche/")))
    menu.footer_links = []
    menu.save()
    assert "Comment participer ?" not in footer_labels(soup(client.get("/recherche/")))


def test_a_branding_change_shows_at_once_in_title_header_colours_and_footer(site_tree, client):
    soup(client.get("/"))
    branding = SiteBranding.load()
    branding.municipality_name = "Saint-Loup-des-Vignes"
    branding.primary_colour = "#145c74"
    branding.save()
    html = soup(client.get("/"))
    assert html.find(class_="site-header__name").get_text(strip=True) == "Saint-Loup-des-Vignes"
    assert html.find(class_="site-footer__name").get_text(strip=True) == "Saint-Loup-des-Vignes"
    assert html.find("title").get_text().endswith("Saint-Loup-des-Vignes")
    assert "--colour-primary:#145c74" in html.find("style").get_text()


def test_a_renamed_page_is_renamed_in_the_menu_once_published(menu, site_tree, client):
    assert "Comment participer ?" in footer_labels(soup(client.get("/")))
    standard = site_tree["standard"].specific
    standard.title = "Participer, mode d'emploi"
    standard.save_revision()
    # A draft does not change the public menu...
    assert "Comment participer ?" in footer_labels(soup(client.get("/")))
    standard.get_latest_revision().publish()
    # ...its publication does, at once.
    labels = footer_labels(soup(client.get("/")))
    assert "Participer, mode d'emploi" in labels
    assert "Comment participer ?" not in labels


def test_an_unpublished_legal_page_leaves_the_footer_at_once(site_tree, client):
    assert "Mentions légales" in footer_labels(soup(client.get("/recherche/")))
    site_tree["legal_notice"].unpublish()
    assert "Mentions légales" not in footer_labels(soup(client.get("/recherche/")))


def test_a_legal_page_made_private_leaves_the_footer_at_once(site_tree, client):
    assert "Données personnelles" in footer_labels(soup(client.get("/")))
    PageViewRestriction.objects.create(page=site_tree["personal_data"], restriction_type=PageViewRestriction.LOGIN)
    assert "Données personnelles" not in footer_labels(soup(client.get("/")))


def test_a_moved_page_is_linked_at_its_new_address_at_once(menu, site_tree, client):
    link = soup(client.get("/")).find("footer").find("a", string="Comment participer ?")
    assert link["href"] == "/comment-participer/"
    site_tree["standard"].move(site_tree["news_index"], pos="last-child")
    link = soup(client.get("/")).find("footer").find("a", string="Comment participer ?")
    assert link["href"] == "/actualites/comment-participer/"


def test_a_deleted_accessibility_statement_is_unlinked_at_once(site_tree, client):
    line = soup(client.get("/")).find(class_="site-footer__accessibility")
    assert line.find("a")["href"] == site_tree["accessibility"].url
    site_tree["accessibility"].delete()
    line = soup(client.get("/")).find(class_="site-footer__accessibility")
    assert line.find("a") is None


def test_the_current_link_is_marked_per_request_not_cached(menu, site_tree, client):
    soup(client.get("/"))
    html = soup(client.get(site_tree["news_index"].url))
    assert html.find("nav", class_="main-nav").find("a", string="Toutes les nouvelles")["aria-current"] == "page"
    html = soup(client.get("/"))
    assert not html.find("nav", class_="main-nav").find("a", string="Toutes les nouvelles").has_attr("aria-current")


def test_the_footer_follows_the_visitors_language(site_tree, client):
    assert "Accessibilité\xa0:" in soup(client.get("/")).find(class_="site-footer__accessibility").get_text()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Accessibility:" in soup(client.get("/")).find(class_="site-footer__accessibility").get_text()


def test_one_visitors_account_menu_is_never_shown_to_another(site_tree, client, resident):
    client.force_login(resident)
    account = soup(client.get("/")).find("nav", class_="account-nav").get_text(" ", strip=True)
    assert "Déconnexion" in account or "Se déconnecter" in account
    client.logout()
    account = soup(client.get("/")).find("nav", class_="account-nav").get_text(" ", strip=True)
    assert "Se connecter" in account
    assert "Mon compte" not in account


def test_the_chrome_costs_no_query_once_cached(menu, site_tree, client, django_assert_max_num_queries):
    client.get("/recherche/")
    # Site search without a query: the search view's own site and privacy look-ups; the header
    # and footer come from the cache (they cost 9 queries on every page before).
    with django_assert_max_num_queries(2):
        html = soup(client.get("/recherche/"))
    assert "Toutes les nouvelles" in main_nav_labels(html)
    assert "Mentions légales" in footer_labels(html)


def test_a_content_page_stays_within_its_query_budget(menu, site_tree, client, django_assert_max_num_queries):
    client.get(site_tree["standard"].url)
    # Wagtail's routing and the page's own breadcrumb and privacy checks; none for the chrome.
    with django_assert_max_num_queries(8):
        soup(client.get(site_tree["standard"].url))
