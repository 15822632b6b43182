"""A minimal published page tree for any test that needs CMS pages.

    from cms.tests.fixtures import build_site_tree

    def test_something(db, client):
        tree = build_site_tree()
        client.get(tree["article"].url)

It replaces Wagtail's default "Welcome" page as the root of the default Site,
so "/" serves the HomePage. Call it once per test.
"""

from __future__ import annotations

import datetime
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.models import (
    AccessibilityPage,
    AccessibilityStatus,
    HomePage,
    LegalPage,
    LegalPageKind,
    NewsArticlePage,
    NewsIndexPage,
    SiteBranding,
    StandardPage,
)

MUNICIPALITY_NAME = "Belleville-sur-Loire"


def make_image(title: str = "Test image", size: tuple[int, int] = (1200, 800), colour: str = "#2a6f97"):
    """A Wagtail image generated in memory (no file from the internet)."""
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    filename = f"{title.lower().replace(' ', '-')}.png"
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=filename))


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _root_page() -> Page:
    """Wagtail's tree root and default locale, recreated if a transactional test flushed them."""
    from wagtail.models import Locale

    if not Locale.objects.exists():
        Locale.objects.create(language_code="fr")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=Locale.get_default())
    return root


def build_site_tree() -> dict[str, Page]:
    """Home, a standard page, a news index with one article, and the three legal pages, all live."""
    root = _root_page()
    home = _publish(
        root,
        HomePage(
            title="Bienvenue à Belleville-sur-Loire",
            slug="accueil-test",
            hero_text="Proposez, votez, débattez : la ville se construit avec vous.",
        ),
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        old_root = site.root_page
        site.root_page = home
        site.site_name = MUNICIPALITY_NAME
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page is no longer reachable: remove it.
        if old_root.pk != home.pk and old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()

    branding = SiteBranding.load()
    branding.municipality_name = MUNICIPALITY_NAME
    branding.accessibility_status = AccessibilityStatus.PARTIAL
    branding.save()

    standard = _publish(
        home,
        StandardPage(
            title="Comment participer ?",
            slug="comment-participer",
            intro="Tout ce qu'il faut savoir pour prendre part aux décisions.",
            body=[("paragraph", "<p>Chaque habitante et chaque habitant peut proposer un projet.</p>")],
        ),
    )
    news_index = _publish(home, NewsIndexPage(title="Actualités", slug="actualites", intro="Les nouvelles."))
    image = make_image("Marché couvert")
    article = _publish(
        news_index,
        NewsArticlePage(
            title="Le marché couvert rouvre ses portes",
            slug="marche-couvert",
            date=datetime.date(2026, 3, 14),
            intro="Après huit mois de travaux, le marché accueille de nouveau les producteurs.",
            image=image,
            image_alt="Les halles du marché couvert, façade en brique",
            body=[("paragraph", "<p>Les étals ouvrent du mardi au dimanche.</p>")],
        ),
    )
    legal_notice = _publish(
        home,
        LegalPage(
            title="Mentions légales",
            slug="mentions-legales",
            kind=LegalPageKind.LEGAL_NOTICE,
            body=[("paragraph", "<p>Éditeur : mairie de Belleville-sur-Loire.</p>")],
        ),
    )
    personal_data = _publish(
        home,
        LegalPage(
            title="Données personnelles",
            slug="donnees-personnelles",
            kind=LegalPageKind.PERSONAL_DATA,
            body=[("paragraph", "<p>Responsable du traitement : le maire.</p>")],
        ),
    )
    accessibility = _publish(
        home,
        AccessibilityPage(
            title="Accessibilité",
            slug="accessibilite",
            compliance_rate=72,
            audit_date=datetime.date(2026, 1, 20),
            audited_by="Audit interne",
        ),
    )
    return {
        "home": home,
        "standard": standard,
        "news_index": news_index,
        "article": article,
        "accessibility": accessibility,
        "legal_notice": legal_notice,
        "personal_data": personal_data,
    }
