from __future__ import annotations

import pytest
from wagtail.embeds.exceptions import EmbedNotFoundException

from cms.tests.fixtures import build_site_tree


class NoNetworkFinder:
    """Stands in for the oEmbed finder: tests never reach a video provider."""

    def accept(self, url: str) -> bool:
        return True

    def find_embed(self, url: str, max_width: int | None = None) -> dict:
        raise EmbedNotFoundException


@pytest.fixture(autouse=True)
def _no_embed_network(monkeypatch):
    monkeypatch.setattr("wagtail.embeds.embeds.get_finders", lambda: [NoNetworkFinder()])


@pytest.fixture
def site_tree(db):
    return build_site_tree()
