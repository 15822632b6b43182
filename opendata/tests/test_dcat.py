"""The DCAT catalogue: valid JSON-LD, the properties data.gouv.fr needs, Hydra paging."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from opendata import registry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
LICENCE = URIRef("https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf")


def load(client, query: str = "") -> tuple[Graph, dict]:
    response = client.get(reverse("opendata:catalogue") + query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/ld+json"
    graph = Graph().parse(data=response.content.decode(), format="json-ld")
    return graph, json.loads(response.content)


def test_the_catalogue_parses_as_json_ld_with_every_required_dcat_property(client, counted_budget, petition):
    graph, _document = load(client)
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    catalog = catalogs[0]
    for prop in (DCT.title, DCT.description, DCT.publisher, DCAT.dataset):
        assert graph.value(catalog, prop) is not None, prop
    publisher = graph.value(catalog, DCT.publisher)
    assert (publisher, RDF.type, FOAF.Organization) in graph
    assert graph.value(publisher, FOAF.name) == Literal("Belleville-sur-Loire")

    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert set(graph.objects(catalog, DCAT.dataset)) == datasets
    assert len(datasets) == len(registry.datasets())
    for dataset in datasets:
        for prop in (DCT.title, DCT.description, DCT.identifier, DCT.publisher):
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        assert graph.value(dataset, DCT.license) == LICENCE
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) >= 2
        for distribution in distributions:
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            for prop in (DCAT.accessURL, DCAT.downloadURL, DCT["format"], DCAT.mediaType, DCT.license):
                assert graph.value(distribution, prop) is not None, (distribution, prop)


def test_every_download_url_in_the_catalogue_works(client, counted_budget, petition):
    graph, _document = load(client)
    urls = {str(url) for url in graph.objects(None, DCAT.downloadURL)}
    assert any(url.endswith(".pb") for url in urls)
    assert any(url.endswith(".geojson") for url in urls)
    for url in urls:
        path = url.split("://", 1)[1].split("/", 1)[1]
        assert client.get("/" + path).status_code == 200, url


def test_the_catalogue_is_paged_with_hydra(client):
    total = len(registry.datasets())
    graph, _document = load(client, "?page_size=2")
    view = next(graph.subjects(RDF.type, HYDRA.PartialCollectionView))
    assert graph.value(view, HYDRA.totalItems).toPython() == total
    assert graph.value(view, HYDRA.previous) is None
    seen = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(seen) == 2
    next_page = graph.value(view, HYDRA.next)
    pages = 1
    while next_page is not None:
        graph, _document = load(client, "?" + str(next_page).split("?", 1)[1])
        view = next(graph.subjects(RDF.type, HYDRA.PartialCollectionView))
        seen |= set(graph.subjects(RDF.type, DCAT.Dataset))
        next_page = graph.value(view, HYDRA.next)
        pages += 1
    assert len(seen) == total
    assert str(graph.value(view, HYDRA.last)).endswith(f"page={pages}&page_size=2")


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?page=abc", 400, "whole numbers"),
        ("?page=0", 404, "page must be between 1 and"),
        ("?page=999", 404, "page must be between 1 and"),
        ("?page_size=1000", 400, "page_size must be between 1 and 100"),
    ],
)
def test_bad_paging_gets_a_clear_4xx(client, query, status, message):
    response = client.get(reverse("opendata:catalogue") + query)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_the_open_data_page_advertises_the_catalogue(client):
    html = client.get(reverse("opendata:index")).content.decode()
    url = reverse("opendata:catalogue")
    assert f'rel="alternate" type="application/ld+json" title="DCAT catalogue" href="{url}"' in html
