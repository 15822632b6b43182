from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from civicplatform.accounts.models import User
from cms.models import NavigationSettings, NewsArticlePage, SiteBranding, StandardPage
from cms.tests.fixtures import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    superuser = User.objects.create_superuser(email="admin@belleville.example", password="x" * 12)
    # Staff reach the admin only with a second factor (accounts.middleware.StaffMFAMiddleware).
    TOTP.activate(superuser, generate_totp_secret())
    client.force_login(superuser)
    return client


def add_url(model, parent) -> str:
    return reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])


def test_the_admin_speaks_french_by_default(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    html = BeautifulSoup(response.content, "html.parser")
    assert html.find("html")["lang"] == "fr"
    assert "Tableau de bord" in response.content.decode()


def test_page_type_names_are_french_in_the_admin(admin_client, site_tree):
    response = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=[site_tree["home"].pk]))
    content = response.content.decode()
    assert "Page standard" in content
    assert "Page légale" in content
    # Only one accessibility statement may exist, and the tree already has it.
    assert "Déclaration d’accessibilité" not in content


def test_staff_can_create_and_publish_a_standard_page(admin_client, site_tree):
    image = make_image("Salle du conseil")
    data = nested_form_data(
        {
            "title": "Le conseil municipal",
            "slug": "conseil-municipal",
            "intro": "Qui siège, quand, comment assister aux séances.",
            "body": streamfield(
                [
                    ("heading", {"text": "Les séances", "level": "h2"}),
                    ("paragraph", rich_text("<p>Les séances sont publiques.</p>")),
                    ("image", {"image": image.pk, "alt_text": "La salle du conseil", "caption": ""}),
                ]
            ),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(add_url(StandardPage, site_tree["home"]), data)
    assert response.status_code == 302
    page = StandardPage.objects.get(slug="conseil-municipal")
    assert page.live
    assert [block.block_type for block in page.body] == ["heading", "paragraph", "image"]
    public = admin_client.get(page.url)
    assert "Les séances sont publiques." in public.content.decode()


def test_an_image_block_without_alt_text_is_refused_in_the_admin(admin_client, site_tree):
    image = make_image("Sans description")
    data = nested_form_data(
        {
            "title": "Page sans alternative",
            "slug": "page-sans-alternative",
            "body": streamfield([("image", {"image": image.pk, "alt_text": "", "caption": ""})]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(add_url(StandardPage, site_tree["home"]), data)
    assert response.status_code == 200
    assert not StandardPage.objects.filter(slug="page-sans-alternative").exists()
    assert "cochez" in response.content.decode()


def test_an_article_image_without_alt_text_is_refused_in_the_admin(admin_client, site_tree):
    image = make_image("Photo du marché")
    data = nested_form_data(
        {
            "title": "Marché de Noël",
            "slug": "marche-de-noel",
            "date": "2026-12-01",
            "intro": "Du 5 au 24 décembre sur la place de la Mairie.",
            "image": image.pk,
            "image_alt": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(add_url(NewsArticlePage, site_tree["news_index"]), data)
    assert response.status_code == 200
    assert not NewsArticlePage.objects.filter(slug="marche-de-noel").exists()
    data["image_decorative"] = "on"
    response = admin_client.post(add_url(NewsArticlePage, site_tree["news_index"]), data)
    assert response.status_code == 302
    assert NewsArticlePage.objects.get(slug="marche-de-noel").image_decorative


def test_branding_colours_without_enough_contrast_are_refused(admin_client, site_tree):
    url = reverse("wagtailsettings:edit", args=["cms", "sitebranding", SiteBranding.load().pk])
    response = admin_client.post(
        url,
        {
            "municipality_name": "Belleville-sur-Loire",
            "primary_colour": "#7fb3d5",
            "primary_dark_colour": "#0c3f50",
            "accessibility_status": "partial",
        },
    )
    assert response.status_code == 200
    assert "4.5:1" in response.content.decode() or "4,5:1" in response.content.decode()
    assert SiteBranding.load().primary_colour == ""


def test_staff_edit_menus_and_footer_links_in_the_admin(admin_client, site_tree):
    navigation = NavigationSettings.load()
    url = reverse("wagtailsettings:edit", args=["cms", "navigationsettings", navigation.pk])
    assert admin_client.get(url).status_code == 200
    data = nested_form_data(
        {
            "main_menu_links": inline_formset([{"link_page": site_tree["news_index"].pk, "label": ""}]),
            "footer_links": inline_formset(
                [{"label": "Service-Public.fr", "link_url": "https://www.service-public.fr/", "link_page": ""}]
            ),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert [link.link_page_id for link in navigation.main_menu_links.all()] == [site_tree["news_index"].pk]
    home = admin_client.get("/").content.decode()
    assert 'href="https://www.service-public.fr/"' in home
