"""Open data in a phone-sized browser (375 px), axe-clean: a reuser finds and downloads the datasets,
and a resident reads the participation dashboard by district."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone, translation

from civicplatform.accounts.tests.factories import ResidentFactory
from civicplatform.territory.tests.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.browser


def _french(msgid: str) -> str:
    with translation.override("fr"):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.OPENDATA_CACHE_SECONDS = 0
    settings.PETITIONS_COUNT_CACHE_SECONDS = 0


@pytest.fixture
def town(live_site):
    from cms.tests.fixtures import build_site_tree
    from petitions.models import PetitionStatus
    from petitions.tests.factories import PetitionFactory, SignatureFactory

    build_site_tree()
    municipality = MunicipalityFactory()
    north = DistrictFactory(municipality=municipality, name="Les Aubrais", population=3000)
    south = DistrictFactory(municipality=municipality, name="Saint-Marceau", population=5000)
    petition = PetitionFactory(
        municipality=municipality, status=PetitionStatus.OPEN, title="Des arbres rue Jeanne", open_for=(5, 60)
    )
    centre = DistrictFactory(municipality=municipality, name="Centre", population=2000)
    districts = [north] * 12 + [south] * 2 + [centre] * 6
    for index, district in enumerate(districts):
        SignatureFactory(
            petition=petition,
            district=district,
            user=ResidentFactory(district=district, birth_year=1970 + index),
            created_at=timezone.now() - datetime.timedelta(days=index % 3),
        )
    return municipality


def test_a_reuser_downloads_a_dataset_from_the_open_data_page(
    page, town, assert_accessible, assert_no_horizontal_scroll
):
    page.goto("/open-data/")
    assert page.locator("h1").inner_text() == _french("Open data")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    assert page.get_by_role("heading", name=_french("Widgets for your website")).is_visible()
    assert page.get_by_role("link", name="Des arbres rue Jeanne").get_attribute("href").endswith("/widget/")
    card = page.locator("#dataset-petitions-signatures-by-district")
    card.locator("summary", has_text=_french("Columns")).click()
    assert card.locator("code", has_text="signatures").is_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        card.get_by_role("link", name="JSON").click()
    document = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert {row["district"]: row["signatures"] for row in document["rows"]} == {
        "Les Aubrais": 12,
        "Saint-Marceau": None,
        "Centre": None,  # hidden too: with the total, it would give Saint-Marceau's 2 away
    }


def test_a_resident_reads_participation_by_district_on_the_dashboard(
    page, town, assert_accessible, assert_no_horizontal_scroll
):
    page.goto("/open-data/")
    page.get_by_role("link", name=_french("See the participation dashboard")).click()
    heading = page.get_by_role("heading", name=_french("Participants by district, and reach per 1,000 inhabitants"))
    assert heading.is_visible()
    table = page.locator("section", has=heading).locator("table")
    assert table.locator("tr", has_text="Les Aubrais").inner_text().split("\t")[:3] == ["Les Aubrais", "12", "4,0"]
    assert (
        _french("fewer than %(threshold)s") % {"threshold": 5}
        in table.locator("tr", has_text="Saint-Marceau").inner_text()
    )
    assert page.locator("svg[role=img]").count() >= 3
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
