"""Forums fixtures: a plain Wagtail page made commentable for the test only, so
these tests do not depend on the CMS page types."""

from __future__ import annotations

import pytest
from django.utils import translation
from wagtail.models import Locale, Page, Site

from civicplatform.core import registry
from civicplatform.moderation.models import ModeratorAssignment


@pytest.fixture
def commentable_pages(monkeypatch):
    monkeypatch.setitem(registry._capabilities, "commentable", registry.models_with("commentable") | {Page})


def _site_root() -> Page:
    # Wagtail's migrations create the locale and the default site; a --no-migrations run has neither.
    if not Locale.objects.exists():
        Locale.objects.create(language_code="fr")
    # Wagtail keeps site root paths in the shared cache; another test's rolled-back
    # site tree may still be there.
    Site.clear_site_root_paths_cache()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=Page(title="Home", slug="home"))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def article(db, commentable_pages):
    """A published page, open to comments, at /budget-news/."""
    return _site_root().add_child(instance=Page(title="Participatory budget: the results", slug="budget-news"))


@pytest.fixture
def other_page(db):
    """A published page that is not open to comments."""
    return _site_root().add_child(instance=Page(title="Legal notice", slug="legal"))


@pytest.fixture
def moderator(db):
    """Moderates the whole site without being staff."""
    from civicplatform.accounts.tests.factories import ResidentFactory

    user = ResidentFactory(pseudonym="Modo")
    ModeratorAssignment.objects.create(user=user, title="Conseillère municipale")
    return user


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Assertions read the English source strings; one test checks the French rendering."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


# ---------------------------------------------------------------- forums and threads


@pytest.fixture
def forum(db):
    """A public forum."""
    from forums.tests.factories import ForumFactory

    return ForumFactory(slug="place-du-marche", title="Place du marché")


@pytest.fixture
def thread(forum, resident):
    """A discussion started by resident (Camille) in the public forum."""
    from forums.tests.factories import ThreadFactory

    return ThreadFactory(forum=forum, slug="arbres", title="More trees on the square?", author=resident)


@pytest.fixture
def council(db):
    """A members-only forum: the district council."""
    from forums.models import ForumVisibility
    from forums.tests.factories import ForumFactory

    return ForumFactory(slug="conseil-nord", title="Conseil de quartier Nord", visibility=ForumVisibility.MEMBERS)


@pytest.fixture
def council_member(council):
    from civicplatform.accounts.tests.factories import ResidentFactory
    from forums.tests.factories import MembershipFactory

    return MembershipFactory(forum=council, user=ResidentFactory(pseudonym="Conseillère")).user


@pytest.fixture
def council_thread(council, council_member):
    from forums.tests.factories import ThreadFactory

    return ThreadFactory(forum=council, slug="budget-2027", title="Budget 2027 priorities", author=council_member)


@pytest.fixture
def forum_moderator(forum):
    """Moderates the public forum only (a moderation assignment on its space)."""
    from django.contrib.contenttypes.models import ContentType

    from civicplatform.accounts.tests.factories import ResidentFactory
    from forums.models import Forum

    user = ResidentFactory(pseudonym="Animatrice")
    ModeratorAssignment.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(Forum), object_id=str(forum.pk), title="Animatrice"
    )
    return user


@pytest.fixture
def debate(forum, forum_moderator):
    from forums.models import ThreadKind
    from forums.tests.factories import ThreadFactory

    return ThreadFactory(
        forum=forum,
        slug="pietonniser",
        title="Should the market street be car-free?",
        kind=ThreadKind.DEBATE,
        author=forum_moderator,
    )


@pytest.fixture
def live_event(forum, forum_moderator):
    from forums.models import ThreadKind
    from forums.tests.factories import ThreadFactory

    return ThreadFactory(
        forum=forum,
        slug="conseil-municipal",
        title="Municipal council, 12 March",
        kind=ThreadKind.LIVE_EVENT,
        author=forum_moderator,
        source="",
        body="",
    )
