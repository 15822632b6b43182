"""Real-browser harness: Playwright's sync API driving Debian's Chromium, headless, at 375 px.

Fixtures: `browser` (one Chromium per test process), `context` (375 x 812, French,
pointing at the live server) and `page`. `assert_accessible(page)` runs axe-core and
fails on serious or critical violations. Never download a browser: Chromium comes from
Debian (`apt-get install chromium`); without it these tests fail under CI=true and are
skipped otherwise.

Each xdist worker is its own process with its own test database, so it gets its own
live server (pytest-django's session `live_server`) and its own Chromium.

The live server reads committed data, so these tests run on `transactional_db`: the
database is emptied after each one, and `django_db_serialized_rollback` puts back what
migrations created (Wagtail's root page, default site, locales) before the next. Any
fixture that builds pages for a browser test should depend on `live_site`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
VIEWPORT = {"width": 375, "height": 812}
BLOCKING_IMPACTS = {"serious", "critical"}
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test in this folder is a browser test, even if its module forgets the mark.
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread for the rest of the
    # session, and Django then refuses ORM calls from it (SynchronousOnlyOperation), fixtures
    # included. The ORM is still used synchronously here, so lift that guard, but only from
    # the first browser test on: the tests before it keep Django's check.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections

    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    playwright = sync_playwright().start()
    # With that loop running, asgiref's Local (which holds Django's connections) switches from
    # thread to context storage, so the ORM gets new connection objects from here on. Carry
    # over what the test database setup left on the old ones: the rows the serialized
    # rollback restores before each live-server test.
    for alias, contents in serialized.items():
        if contents is not None:
            connections[alias]._test_serialized_contents = contents
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture(scope="session")
def _flush_with_delete() -> Iterator[None]:
    """Make the reset between live-server tests fast and safe to follow any other test.

    * Flush with DELETE rather than TRUNCATE: TRUNCATE of the ~100 tables costs 4-6 s per
      test on this machine (a new file per table), DELETE of their few rows 0.2-0.6 s, for
      the same result. Django creates foreign keys DEFERRABLE, so the order is free.
    * Restore the serialized rows into empty tables. A transactional test without serialized
      rollback ends with a flush that re-creates content types and permissions (post_migrate)
      under new ids; restoring on top of them fails on their unique names. Those leftovers are
      deleted first (one query when there are none, the usual case).

    Session-scoped, so it is in place before pytest-django's autouse live-server helper
    sets up the database for the first test.
    """
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush
    restore = BaseDatabaseCreation.deserialize_db_from_string

    def delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        deletes = [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};" for t in tables]
        # The audit log refuses DELETE (append-only trigger) unless the retention door is open
        # for this transaction; flushing a test database is that kind of purge.
        return ["SET CONSTRAINTS ALL DEFERRED;", "SET LOCAL civicplatform.audit_purge = 'on';", *deletes]

    def restore_into_empty_tables(self, data):
        connection = self.connection
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_content_type LIMIT 1")
            leftovers = cursor.fetchone() is not None
        if leftovers:
            tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
            connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
        restore(self, data)
        # The restored rows carry their ids; a flush that reset the sequences (the `flush`
        # command's default) would otherwise hand the same ids to the next new rows.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(statement)

    DatabaseOperations.sql_flush = delete
    BaseDatabaseCreation.deserialize_db_from_string = restore_into_empty_tables
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = truncate
        BaseDatabaseCreation.deserialize_db_from_string = restore


@pytest.fixture
def live_site(_flush_with_delete, live_server, transactional_db, django_db_serialized_rollback):
    """The live server, with the database as migrations left it; returns the server."""
    return live_server


@pytest.fixture
def context(browser, live_site) -> Iterator:
    ctx = browser.new_context(viewport=VIEWPORT, locale="fr-FR", base_url=live_site.url)
    ctx.set_default_timeout(10_000)
    ctx.set_default_navigation_timeout(20_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context) -> Iterator:
    """A page at 375 x 812 whose uncaught JavaScript errors fail the test."""
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    yield new_page
    assert not errors, f"JavaScript errors on {new_page.url}: {errors}"


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page, *, context: str | dict | None = None) -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core: {len(blocking)} serious/critical violation(s) on {page.url}\n" + (
        format_violations(blocking)
    )


def assert_no_horizontal_scroll(page) -> None:
    widths = page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth, client: document.scrollingElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"], (
        f"{page.url} scrolls sideways at {page.viewport_size['width']} px: "
        f"content is {widths['scroll']} px wide for {widths['client']} px"
    )


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture() -> Callable[..., None]:
    return assert_accessible


@pytest.fixture(name="assert_no_horizontal_scroll")
def assert_no_horizontal_scroll_fixture() -> Callable[..., None]:
    return assert_no_horizontal_scroll
