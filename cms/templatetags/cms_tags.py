"""Site chrome built from the CMS: main menu, footer, breadcrumb and Open Graph tags.

The menus' shared part (editors' links, legal pages) comes from `cms.chrome`, cached per host
and language and invalidated on every edit; which link is the current page is computed per request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from civicplatform.core.registry import nav_sections
from cms.chrome import get_chrome
from cms.models import LegalPageKind, SiteBranding

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


def site_for(request: HttpRequest | None) -> Site | None:
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).select_related("root_page").first()


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
    entries.extend(_entries(get_chrome(request).main_links, path))
    return entries


@register.simple_tag(takes_context=True)
def footer_menu(context: template.Context) -> FooterMenu:
    """The editors' footer links, plus the legal pages, which are always linked."""
    request = context.get("request")
    path = request.path if request is not None else ""
    chrome = get_chrome(request)
    return FooterMenu(
        links=_entries(chrome.footer_links, path),
        legal_links=_entries(chrome.legal_links, path),
        accessibility_url=chrome.accessibility_url,
    )


def _entries(links: list[tuple[str, str]], path: str) -> list[MenuEntry]:
    return [MenuEntry(label=label, url=url, current=_is_current(path, url)) for label, url in links]


@register.simple_tag(takes_context=True)
def breadcrumb(context: template.Context, page: Page) -> list[Page]:
    """The live ancestors of `page` from the site's home page, for a breadcrumb trail."""
    site = site_for(context.get("request"))
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
