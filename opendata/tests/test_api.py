"""The public API: schema, docs, paging, filters, clear 4xx, rate limit, and a schemathesis run."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_the_openapi_3_schema_and_the_browsable_docs_are_served(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/datasets", "/api/v1/datasets/{key}/rows", "/api/v1/petitions", "/api/v1/budgets/projects"} <= set(
        schema["paths"]
    )
    docs = client.get(f"{API}/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"/api/v1/openapi.json" in docs.content


def test_datasets_are_listed_paged_and_filtered(client):
    page = client.get(f"{API}/datasets", {"page_size": 2}).json()
    assert page["page"] == 1 and len(page["results"]) == 2
    assert page["count"] > 2
    assert page["next"].endswith("/api/v1/datasets?page_size=2&page=2")
    assert page["previous"] is None
    petitions = client.get(f"{API}/datasets", {"participation": "petition"}).json()
    assert {item["key"] for item in petitions["results"]} == {
        "petitions",
        "petitions-signatures-by-day",
        "petitions-signatures-by-district",
    }
    assert petitions["results"][0]["license"].startswith("https://www.etalab.gouv.fr/")


def test_rows_are_the_published_rows_with_suppression(client, petition):
    rows = client.get(f"{API}/datasets/petitions-signatures-by-district/rows").json()["results"]
    assert {row["district"]: row["signatures"] for row in rows} == {"Nord": 12, "Sud": None, "": None}


def test_petitions_are_filtered_by_status_kind_and_signatures(client, petition):
    assert client.get(f"{API}/petitions").json()["results"][0]["signatures"] == 15
    assert client.get(f"{API}/petitions", {"status": "open"}).json()["count"] == 1
    assert client.get(f"{API}/petitions", {"status": "answered"}).json()["count"] == 0
    assert client.get(f"{API}/petitions", {"kind": "formal"}).json()["count"] == 0
    assert client.get(f"{API}/petitions", {"min_signatures": 16}).json()["count"] == 0


def test_budget_projects_are_filtered(client, counted_budget):
    everything = client.get(f"{API}/budgets/projects").json()
    assert everything["count"] == 3
    assert "author" not in everything["results"][0]
    located = [item for item in everything["results"] if item["latitude"] is not None]
    assert located[0]["title"] == "A - Arbres"
    assert client.get(f"{API}/budgets/projects", {"process": "bp-2025", "status": "shortlisted"}).json()["count"] == 3
    assert client.get(f"{API}/budgets/projects", {"district": "Sud"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/datasets?page=0", 400, "page: Input should be greater than or equal to 1"),
        ("/datasets?page_size=abc", 400, "page_size: Input should be a valid integer"),
        ("/datasets?participation=nope", 400, "participation: Input should be"),
        ("/petitions?status=lost", 400, "status: Input should be"),
        ("/datasets/nope", 404, "No dataset with this identifier."),
        ("/datasets/nope/rows", 404, "No dataset with this identifier."),
    ],
)
def test_bad_parameters_get_a_clear_4xx(client, path, status, message):
    response = client.get(API + path)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_answers_may_be_cached(client, settings):
    settings.OPENDATA_CACHE_SECONDS = 120
    assert client.get(f"{API}/datasets")["Cache-Control"] == "public, max-age=120"


def test_the_api_is_rate_limited_per_address(client, settings):
    settings.OPENDATA_API_RATE = "3/m"
    statuses = [client.get(f"{API}/datasets", REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(f"{API}/datasets", REMOTE_ADDR="203.0.113.9")
    assert refused.json() == {"detail": "Too many requests."}
    # Another address is not affected.
    assert client.get(f"{API}/datasets", REMOTE_ADDR="203.0.113.10").status_code == 200


def test_the_open_data_page_links_the_api_docs(client):
    html = client.get(reverse("opendata:index")).content.decode()
    assert 'href="/api/v1/docs/"' in html
