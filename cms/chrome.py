"""The shared, non-personal part of every page's header and footer, cached per host and language.

The branding, the editors' menu and footer links and the legal pages are the same for every
visitor of a site in one language, so they are computed once and kept in the default cache
(Redis when REDIS_URL is set: shared by every process) in one entry per host and language.
Each entry records the chrome version it was built for; the version is a single cache key
replaced whenever something shown in the chrome may have changed (a page saved, published,
unpublished, moved or deleted, a privacy restriction changed, the branding, the menus or a
Site saved or deleted: see `cms.apps`), so an edit shows on the next request of every
process. One cache round trip per request reads the version and the entry together, and the
result is memoised on the request. Personal parts (account menu, notification count, CSRF
token, which link is the current page) are never cached: they are computed per request.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language

# Bump when the shape of ChromeData changes, so entries of an older release are ignored.
FORMAT = 1
VERSION_KEY = "cms:chrome:version"
ENTRY_KEY = "cms:chrome:v{format}:{host}:{language}"
# Bounds how long an edit made where no signal reaches (raw SQL, another process on locmem) shows.
TIMEOUT = 15 * 60
REQUEST_ATTR = "_cms_chrome"


@dataclass
class ChromeData:
    branding: Any
    main_links: list[tuple[str, str]] = field(default_factory=list)
    footer_links: list[tuple[str, str]] = field(default_factory=list)
    legal_links: list[tuple[str, str]] = field(default_factory=list)
    accessibility_url: str = ""


def bump_version(**_kwargs: Any) -> None:
    """Invalidate every cached header and footer, now and again once the transaction commits."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    # A request between the change and its commit may have cached what it still saw.
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def forget_all() -> None:
    """Invalidate every cached header and footer without touching the database (tests, rollbacks)."""
    cache.delete(VERSION_KEY)


def _entry_key(request: HttpRequest | None) -> str:
    host = request.get_host() if request is not None else "-"
    return ENTRY_KEY.format(format=FORMAT, host=host, language=get_language() or "-")


def get_chrome(request: HttpRequest | None) -> ChromeData:
    """The chrome data for this request's site and language, from the request, the cache or the database."""
    if request is not None and hasattr(request, REQUEST_ATTR):
        return getattr(request, REQUEST_ATTR)
    try:
        key = _entry_key(request)
    except DisallowedHost:
        # The 400 page for a host outside ALLOWED_HOSTS: built, never cached under that host.
        return build_chrome(request)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    entry = found.get(key)
    if version is not None and isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        data = entry[1]
    else:
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(VERSION_KEY, version, None):
                version = cache.get(VERSION_KEY, version)
        data = build_chrome(request)
        cache.set(key, (version, data), TIMEOUT)
    if request is not None:
        setattr(request, REQUEST_ATTR, data)
    return data


def build_chrome(request: HttpRequest | None) -> ChromeData:
    from cms.models import AccessibilityPage, LegalPage, NavigationSettings, SiteBranding
    from cms.templatetags.cms_tags import LEGAL_ORDER, site_for

    # Until staff first save the branding, its defaults (not a row created on a GET: that would
    # change the version and make this entry stale at once).
    branding = SiteBranding.base_queryset().select_related("logo").first() or SiteBranding()
    data = ChromeData(branding=branding)
    navigation = NavigationSettings.base_queryset().first()
    if navigation is not None:
        links = navigation.main_menu_links.select_related("link_page").order_by("sort_order")
        data.main_links = _links(links, request)
        data.footer_links = _links(navigation.footer_links.select_related("link_page").order_by("sort_order"), request)

    site = site_for(request)
    if site is None:
        return data
    root = site.root_page
    legal_pages = sorted(
        LegalPage.objects.live().public().descendant_of(root),
        key=lambda page: (LEGAL_ORDER.index(page.kind) if page.kind in LEGAL_ORDER else len(LEGAL_ORDER), page.path),
    )
    known = {url for _label, url in data.footer_links}
    for page in legal_pages:
        url = page.get_url(request) or ""
        if url and url not in known:
            data.legal_links.append((page.title, url))
    statement = AccessibilityPage.objects.live().public().descendant_of(root).first()
    if statement is not None:
        data.accessibility_url = statement.get_url(request) or ""
    return data


def _links(links: Any, request: HttpRequest | None) -> list[tuple[str, str]]:
    entries = []
    for link in links:
        if link.link_page_id:
            if not link.link_page.live:
                continue
            url = link.link_page.get_url(request) or ""
        else:
            url = link.link_url
        if url:
            entries.append((str(link.get_label()), url))
    return entries
