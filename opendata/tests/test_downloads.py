"""The open-data page and its downloads: every dataset, in CSV, JSON and GeoJSON, no personal data."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from opendata import registry
from opendata.suppression import suppress

pytestmark = pytest.mark.django_db


def download(client, key: str, extension: str):
    response = client.get(reverse("opendata:download", kwargs={"key": key, "extension": extension}))
    assert response.status_code == 200, response.content[:300]
    return response


def csv_rows(client, key: str) -> list[dict[str, str]]:
    response = download(client, key, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_every_app_registers_its_datasets():
    keys = {dataset.key for dataset in registry.datasets()}
    assert {
        "budgets-results",
        "budgets-projects",
        "budgets-participation",
        "petitions",
        "petitions-signatures-by-day",
        "petitions-signatures-by-district",
        "forums-activity",
    } <= keys


def test_the_page_links_every_download_and_states_the_licence(client, counted_budget, petition):
    response = client.get(reverse("opendata:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Licence Ouverte / Open Licence 2.0" in html
    for dataset in registry.datasets():
        assert reverse("opendata:download", kwargs={"key": dataset.key, "extension": "csv"}) in html
        assert reverse("opendata:download", kwargs={"key": dataset.key, "extension": "json"}) in html
    assert reverse("opendata:download", kwargs={"key": "budgets-projects", "extension": "geojson"}) in html
    # The anonymous ballots of the closed vote, in Pabulib format, through the budgets app's own export.
    assert reverse("budgets:results_pb", kwargs={"slug": "bp-2025", "budget_slug": "ville"}) in html
    assert "<h1>Open data</h1>" in html


def test_the_page_is_in_the_main_navigation(client):
    html = client.get("/open-data/").content.decode()
    assert 'href="/open-data/"' in html


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_every_dataset_downloads_even_when_empty(client, extension):
    for dataset in registry.datasets():
        response = download(client, dataset.key, extension)
        assert f'filename="{dataset.key}.{extension}"' in response["Content-Disposition"]


def test_budget_results_give_votes_and_selection_in_csv(client, counted_budget):
    rows = csv_rows(client, "budgets-results")
    by_title = {row["project_title"]: row for row in rows}
    assert by_title["A - Arbres"]["votes"] == "7"
    assert by_title["A - Arbres"]["selected"] == "true"
    assert by_title["B - Bancs"]["votes"] == "6"
    assert by_title["C - Composteurs"]["selected"] == "false"
    assert by_title["A - Arbres"]["ballots"] == "10"


def test_projects_geojson_has_only_located_projects_longitude_first(client, counted_budget):
    document = json.loads(download(client, "budgets-projects", "geojson").content)
    assert document["type"] == "FeatureCollection"
    assert len(document["features"]) == 1
    feature = document["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [1.9, 47.9]}
    assert feature["properties"]["title"] == "A - Arbres"


def test_projects_never_name_their_author(client, counted_budget):
    for extension in ("csv", "json", "geojson"):
        body = download(client, "budgets-projects", extension).content.decode()
        assert "Auteur" not in body
        assert "author" not in body


def test_json_has_typed_columns_the_licence_and_iso_dates(client, petition):
    document = json.loads(download(client, "petitions", "json").content)
    assert document["license"].startswith("https://www.etalab.gouv.fr/")
    assert {"name": "signatures", "type": "integer"}.items() <= document["columns"][6].items()
    row = document["rows"][0]
    assert row["signatures"] == 15  # the pending ones are not counted
    assert row["published_at"].endswith("Z") and "T" in row["published_at"]


def test_csv_dates_are_iso_8601(client, petition):
    rows = csv_rows(client, "petitions")
    assert rows[0]["published_at"][:4].isdigit() and rows[0]["published_at"][4] == "-"


def test_unpublished_petitions_and_signer_names_stay_out(client, petition, draft_petition):
    for key in ("petitions", "petitions-signatures-by-day", "petitions-signatures-by-district"):
        for extension in ("csv", "json"):
            body = download(client, key, extension).content.decode()
            assert "Brouillon confidentiel" not in body
            assert "Signataire Secret" not in body
            assert "@example.net" not in body


def test_small_counts_by_district_are_suppressed_with_their_complement(client, petition):
    rows = {row["district"]: row["signatures"] for row in csv_rows(client, "petitions-signatures-by-district")}
    # South (2) is too small; "no district" (1) is too; the north (12) stays.
    assert rows == {"Nord": "12", "Sud": "", "": ""}


def test_a_single_small_count_hides_the_next_smallest_too(client, petition):
    rows = {row["day"]: row["signatures"] for row in csv_rows(client, "petitions-signatures-by-day")}
    assert sorted(rows.values()) == ["10", "5"]
    assert suppress([{"n": 10}, {"n": 2}, {"n": 7}], ["n"], minimum=5) == [{"n": 10}, {"n": None}, {"n": None}]


def test_the_threshold_is_a_setting(client, petition, settings):
    settings.OPENDATA_MIN_COUNT = 1
    rows = {row["district"]: row["signatures"] for row in csv_rows(client, "petitions-signatures-by-district")}
    assert rows == {"Nord": "12", "Sud": "2", "": "1"}


def test_budget_participation_suppresses_small_groups(client, counted_budget):
    rows = csv_rows(client, "budgets-participation")
    channels = {row["value"]: row["voters"] for row in rows if row["dimension"] == "channel"}
    # One paper ballot: hidden, and the online count with it (the total would give it away).
    assert channels["paper"] == ""
    assert channels["online"] == ""
    assert {row["total_voters"] for row in rows} == {"10"}


def test_forum_activity_counts_public_comments_only(client, comments):
    rows = csv_rows(client, "forums-activity")
    assert [(row["commented"], row["comments"], row["contributors"]) for row in rows] == [("thread", "6", "")]


def test_csv_neutralises_spreadsheet_formulas(client, municipality):
    from petitions.models import PetitionStatus
    from petitions.tests.factories import PetitionFactory

    PetitionFactory(municipality=municipality, status=PetitionStatus.OPEN, title="=HYPERLINK(1)", open_for=(1, 9))
    assert csv_rows(client, "petitions")[0]["title"] == "'=HYPERLINK(1)"


def test_unknown_dataset_or_format_is_404(client):
    assert client.get("/open-data/jeux/nope.csv").status_code == 404
    assert client.get("/open-data/jeux/petitions.geojson").status_code == 404
    assert client.get("/open-data/jeux/petitions.xml").status_code == 404


def test_downloads_refuse_post(client):
    assert client.post("/open-data/jeux/petitions.csv").status_code == 405


def test_the_page_takes_a_constant_number_of_queries(client, counted_budget, petition, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        assert client.get(reverse("opendata:index")).status_code == 200


@pytest.fixture
def extra_dataset():
    """A participation app that plugs in: one registration, and it is everywhere."""
    registry.register_participation("test-tool", "Test tool", order=99)
    registry.register_dataset(
        registry.Dataset(
            key="test-tool-counts",
            participation="test-tool",
            title="Test tool counts",
            description="Counts of the test tool.",
            columns=registry.columns(("day", "date", "Day"), ("people", "integer", "People")),
            rows=lambda: [
                {"day": datetime.date(2026, 1, 2), "people": 7},
                {"day": datetime.date(2026, 1, 3), "people": 2},
            ],
            suppressed=("people",),
        )
    )
    yield
    registry.unregister_dataset("test-tool-counts")
    registry.PARTICIPATIONS.pop("test-tool", None)


def test_a_registered_dataset_appears_on_the_page_in_downloads_catalogue_and_api(client, extra_dataset):
    assert "Test tool counts" in client.get(reverse("opendata:index")).content.decode()
    assert csv_rows(client, "test-tool-counts") == [
        {"day": "2026-01-02", "people": ""},
        {"day": "2026-01-03", "people": ""},
    ]
    assert "test-tool-counts" in client.get(reverse("opendata:catalogue")).content.decode()
    rows = client.get("/api/v1/datasets/test-tool-counts/rows").json()["results"]
    assert rows == [{"day": "2026-01-02", "people": None}, {"day": "2026-01-03", "people": None}]
