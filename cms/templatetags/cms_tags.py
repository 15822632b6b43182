"""Site chrome built from the CMS: main menu, footer, breadcrumb and Open Graph tags.

Each tag runs a fixed number of queries, whatever the number of links, so the
header and footer never make a page's query count grow with its content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from civicplatform.core.registry import nav_sections
from cms.models import AccessibilityPage, LegalPage, LegalPageKind, NavigationSettings, SiteBranding

register = template.Library()

OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
LEGAL_ORDER = [LegalPageKind.LEGAL_NOTICE, LegalPageKind.PERSONAL_DATA]


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str
    current: bool = False


@dataclass
class FooterMenu:
    links: list[MenuEntry] = field(default_factory=list)
    legal_links: list[MenuEntry] = field(default_factory=list)
    accessibility_url: str = ""


def _site(request: HttpRequest | None) -> Site | None:
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).select_related("root_page").first()


def _link_entries(links: Any, request: HttpRequest | None, path: str) -> list[MenuEntry]:
    entries = []
    for link in links:
        if link.link_page_id:
            if not link.link_page.live:
                continue
            url = link.link_page.get_url(request) or ""
        else:
            url = link.link_url
        if url:
            entries.append(MenuEntry(label=link.get_label(), url=url, current=_is_current(path, url)))
    return entries


def _is_current(path: str, url: str) -> bool:
    if url == "/":
        return path == "/"
    return url.startswith("/") and path.startswith(url)


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> list[MenuEntry]:
    """Home, then the sections the participation apps registered, then the editors' extra links."""
    request = context.get("request")
    path = request.path if request is not None else ""
    entries = [MenuEntry(label=str(_("Home")), url="/", current=path == "/")]
    for section in nav_sections():
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            # A section whose app is not routed (yet) must not break every page.
            continue
        entries.append(MenuEntry(label=str(section.label), url=url, current=_is_current(path, url)))
    navigation = NavigationSettings.load(request_or_site=request)
    links = navigation.main_menu_links.select_related("link_page").order_by("sort_order")
    entries.extend(_link_entries(links, request, path))
    return entries


@register.simple_tag(takes_context=True)
def footer_menu(context: template.Context) -> FooterMenu:
    """The editors' footer links, plus the legal pages, which are always linked."""
    request = context.get("request")
    path = request.path if request is not None else ""
    menu = FooterMenu()
    navigation = NavigationSettings.load(request_or_site=request)
    links = navigation.footer_links.select_related("link_page").order_by("sort_order")
    menu.links = _link_entries(links, request, path)

    site = _site(request)
    if site is None:
        return menu
    root = site.root_page
    legal_pages = sorted(
        LegalPage.objects.live().public().descendant_of(root),
        key=lambda page: (LEGAL_ORDER.index(page.kind) if page.kind in LEGAL_ORDER else len(LEGAL_ORDER), page.path),
    )
    known = {entry.url for entry in menu.links}
    for page in legal_pages:
        url = page.get_url(request) or ""
        if url and url not in known:
            menu.legal_links.append(MenuEntry(label=page.title, url=url, current=_is_current(path, url)))
    statement = AccessibilityPage.objects.live().public().descendant_of(root).first()
    if statement is not None:
        menu.accessibility_url = statement.get_url(request) or ""
    return menu


@register.simple_tag(takes_context=True)
def breadcrumb(context: template.Context, page: Page) -> list[Page]:
    """The live ancestors of `page` from the site's home page, for a breadcrumb trail."""
    site = _site(context.get("request"))
    if site is None or page.depth <= site.root_page.depth:
        return []
    return list(
        page.get_ancestors().live().filter(depth__gte=site.root_page.depth, path__startswith=site.root_page.path)
    )


@register.inclusion_tag("cms/includes/page_meta.html", takes_context=True)
def page_meta(context: template.Context, page: Page) -> dict:
    """Description, canonical URL and Open Graph tags (title, description, image) for a page."""
    request = context.get("request")
    branding = SiteBranding.load(request_or_site=request)
    description = page.get_meta_description() if hasattr(page, "get_meta_description") else page.search_description
    image, image_alt = page.get_meta_image() if hasattr(page, "get_meta_image") else (None, "")
    if image is None and branding.logo_id:
        image, image_alt = branding.logo, branding.municipality_name
    image_url = ""
    image_width = image_height = None
    if image is not None:
        rendition = image.get_rendition("fill-1200x630-c50|format-jpeg")
        image_url = request.build_absolute_uri(rendition.url) if request is not None else rendition.full_url
        image_width, image_height = rendition.width, rendition.height
    url = page.get_full_url(request) or ""
    return {
        "title": page.seo_title or page.title,
        "description": description,
        "url": url,
        "og_type": getattr(page, "og_type", "website"),
        "site_name": branding.municipality_name,
        "locale": OG_LOCALES.get((get_language() or "fr")[:2], "fr_FR"),
        "image_url": image_url,
        "image_width": image_width,
        "image_height": image_height,
        "image_alt": image_alt,
        "published_time": getattr(page, "date", None) if getattr(page, "og_type", "") == "article" else None,
    }
