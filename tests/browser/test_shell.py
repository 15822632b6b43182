"""The site shell in a real phone-sized browser: skip link, language, menu, no sideways scroll, axe."""

from __future__ import annotations

import pytest
from django.utils import translation

from cms.tests.fixtures import build_site_tree

pytestmark = pytest.mark.browser


@pytest.fixture
def tree(live_site):
    return build_site_tree()


def _french(msgid: str) -> str:
    with translation.override("fr"):
        return translation.gettext(msgid)


def test_home_page_is_french_keyboard_friendly_and_axe_clean_at_375_px(page, tree, assert_accessible):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").count() == 1
    assert "Bienvenue à Belleville-sur-Loire" in page.locator("h1").inner_text()
    assert_accessible(page)

    # The skip link is the first stop for keyboard users, visible once focused...
    page.keyboard.press("Tab")
    focused = page.evaluate("() => ({cls: document.activeElement.className, text: document.activeElement.innerText})")
    assert "skip-link" in focused["cls"]
    assert focused["text"].strip() == _french("Skip to main content")
    box = page.locator(".skip-link").bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["height"] > 0
    # ...and it moves focus to the main content, so the next Tab starts there.
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"


def test_menu_toggle_opens_and_closes_the_menu_with_javascript(page, tree):
    page.goto("/")
    toggle = page.locator("[data-menu-toggle]")
    menu = page.locator("[data-menu]")
    assert toggle.is_visible()
    box = toggle.bounding_box()
    assert box["width"] >= 44
    assert box["height"] >= 44
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    assert page.get_by_role("searchbox", name=_french("Search the site")).is_visible()

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()


def test_without_javascript_the_menu_is_simply_open(browser, tree, live_site):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_site.url + "/")
        assert not page.locator("[data-menu-toggle]").is_visible()
        assert page.locator("[data-menu]").is_visible()
        assert page.get_by_role("searchbox", name=_french("Search the site")).is_visible()
    finally:
        context.close()


def test_nothing_scrolls_sideways_at_375_or_320_px(page, tree, assert_no_horizontal_scroll):
    for width in (375, 320):
        page.set_viewport_size({"width": width, "height": 720})
        for url in ("/", tree["standard"].url, tree["news_index"].url, tree["article"].url):
            page.goto(url)
            assert_no_horizontal_scroll(page)
            toggle = page.locator("[data-menu-toggle]")
            if toggle.is_visible():
                toggle.click()  # the open menu must fit too
                assert_no_horizontal_scroll(page)


def test_news_index_standard_page_and_article_are_axe_clean_at_375_px(page, tree, assert_accessible):
    for key in ("news_index", "standard", "article"):
        page.goto(tree[key].url)
        assert page.locator("h1").count() == 1, key
        assert_accessible(page)
