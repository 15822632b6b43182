from __future__ import annotations

import pytest
from wagtail.models import Page

from civicplatform.core import registry
from civicplatform.territory.models import District


@pytest.fixture
def followable(monkeypatch):
    """Districts (no public_id: followed by pk) and Wagtail pages count as followable in these tests."""
    models = set(registry._capabilities["followable"]) | {District, Page}
    monkeypatch.setitem(registry._capabilities, "followable", models)


@pytest.fixture
def home_page(db):
    return Page.objects.get(depth=2) if Page.objects.filter(depth=2).exists() else Page.objects.get(depth=1)
