"""The DCAT catalogue of every dataset, as JSON-LD with Hydra paging.

data.gouv.fr (udata) harvests DCAT, preferably as JSON-LD, and follows
`hydra:PartialCollectionView` links from page to page; it reads the licence from
`dct:license`. The context is inline so the document parses without fetching
anything. Required DCAT-AP properties are always present: the catalogue's title,
description, publisher and datasets; each dataset's title and description; each
distribution's access URL (with its download URL, format and media type).
"""

from __future__ import annotations

import math
from typing import Any

from django.urls import reverse
from django.utils import translation

from civicplatform.notifications.emails import absolute_url

from . import formats, registry, selectors
from .registry import Dataset

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:modified": {"@type": "xsd:dateTime"},
    "dct:license": {"@type": "@id"},
    "dct:publisher": {"@type": "@id"},
    "dcat:theme": {"@type": "@id"},
    "dcat:dataset": {"@type": "@id"},
    "dcat:distribution": {"@type": "@id"},
    "dcat:landingPage": {"@type": "@id"},
    "dcat:accessURL": {"@type": "@id"},
    "dcat:downloadURL": {"@type": "@id"},
    "foaf:homepage": {"@type": "@id"},
    "hydra:first": {"@type": "@id"},
    "hydra:last": {"@type": "@id"},
    "hydra:next": {"@type": "@id"},
    "hydra:previous": {"@type": "@id"},
    "hydra:totalItems": {"@type": "xsd:integer"},
    "hydra:itemsPerPage": {"@type": "xsd:integer"},
}
# EU vocabulary: "Government and public sector".
THEME = "http://publications.europa.eu/resource/authority/data-theme/GOVE"
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json"}
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PageError(ValueError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _municipality_name() -> str:
    from civicplatform.territory.models import Municipality

    municipality = Municipality.objects.order_by("pk").first()
    return municipality.name if municipality else ""


def catalogue_url(page: int | None = None, page_size: int = PAGE_SIZE) -> str:
    url = absolute_url(reverse("opendata:catalogue"))
    query = []
    if page is not None:
        query.append(f"page={page}")
    if page_size != PAGE_SIZE:
        query.append(f"page_size={page_size}")
    return url + ("?" + "&".join(query) if query else "")


def dataset_uri(dataset: Dataset) -> str:
    return absolute_url(reverse("opendata:index")) + f"#dataset-{dataset.key}"


def _distributions(dataset: Dataset) -> list[dict[str, Any]]:
    extensions = ["csv", "json"] + (["geojson"] if dataset.has_geojson else [])
    distributions = []
    for extension in extensions:
        url = absolute_url(reverse("opendata:download", kwargs={"key": dataset.key, "extension": extension}))
        distributions.append(
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": f"{dataset.key}.{extension}",
                "dct:format": extension.upper() if extension != "geojson" else "GeoJSON",
                "dcat:mediaType": MEDIA_TYPES[extension],
                "dcat:accessURL": url,
                "dcat:downloadURL": url,
                "dct:license": formats.LICENCE_URI,
            }
        )
    for extra in selectors.extra_files(dataset):
        url = absolute_url(extra.url)
        distributions.append(
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": extra.title,
                "dct:format": extra.format,
                "dcat:mediaType": extra.media_type,
                "dcat:accessURL": url,
                "dcat:downloadURL": url,
                "dct:license": formats.LICENCE_URI,
            }
        )
    return distributions


def _dataset_node(dataset: Dataset, publisher: str, language: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    distributions = _distributions(dataset)
    node: dict[str, Any] = {
        "@id": dataset_uri(dataset),
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.key,
        "dct:title": {"@value": str(dataset.title), "@language": language},
        "dct:description": {"@value": str(dataset.description), "@language": language},
        "dcat:keyword": list(dataset.keywords),
        "dcat:theme": THEME,
        "dct:publisher": publisher,
        "dct:license": formats.LICENCE_URI,
        "dcat:landingPage": dataset_uri(dataset),
        "dcat:distribution": [distribution["@id"] for distribution in distributions],
    }
    modified = dataset.modified() if dataset.modified else None
    if modified is not None:
        node["dct:modified"] = formats.cell(modified)
    return node, distributions


def catalogue(page: int = 1, page_size: int = PAGE_SIZE) -> dict[str, Any]:
    """One page of the catalogue. Raises PageError for a page that does not exist."""
    if page_size < 1 or page_size > MAX_PAGE_SIZE:
        raise PageError(
            translation.gettext("page_size must be between 1 and %(maximum)s.") % {"maximum": MAX_PAGE_SIZE}, 400
        )
    every = registry.datasets()
    last = max(1, math.ceil(len(every) / page_size))
    if page < 1 or page > last:
        raise PageError(translation.gettext("page must be between 1 and %(last)s.") % {"last": last}, 404)
    shown = every[(page - 1) * page_size : page * page_size]
    language = (translation.get_language() or "fr")[:2]
    home = absolute_url("/")
    publisher = {"@id": home + "#publisher", "@type": "foaf:Organization", "foaf:name": _municipality_name() or home}
    catalog: dict[str, Any] = {
        "@id": catalogue_url(),
        "@type": "dcat:Catalog",
        "dct:title": {"@value": str(translation.gettext("Participation open data")), "@language": language},
        "dct:description": {
            "@value": str(
                translation.gettext(
                    "Results and statistics of the participatory budgets, petitions and forums of the municipality."
                )
            ),
            "@language": language,
        },
        "dct:publisher": publisher["@id"],
        "dct:license": formats.LICENCE_URI,
        "foaf:homepage": absolute_url(reverse("opendata:index")),
        "dcat:dataset": [],
    }
    graph: list[dict[str, Any]] = [catalog, publisher]
    for dataset in shown:
        node, distributions = _dataset_node(dataset, publisher["@id"], language)
        catalog["dcat:dataset"].append(node["@id"])
        graph.append(node)
        graph.extend(distributions)
    view: dict[str, Any] = {
        "@id": catalogue_url(page, page_size),
        "@type": "hydra:PartialCollectionView",
        "hydra:first": catalogue_url(1, page_size),
        "hydra:last": catalogue_url(last, page_size),
        "hydra:totalItems": len(every),
        "hydra:itemsPerPage": page_size,
    }
    if page < last:
        view["hydra:next"] = catalogue_url(page + 1, page_size)
    if page > 1:
        view["hydra:previous"] = catalogue_url(page - 1, page_size)
    graph.append(view)
    return {"@context": CONTEXT, "@graph": graph}
