"""The public read-only REST API, version 1 (django-ninja): OpenAPI 3 schema and browsable docs.

Everything it returns is already published on /open-data/: the same rows, from the
same cached, suppressed datasets (opendata.selectors.published_rows). Lists are
paged (`page`, `page_size`), filterable, answered with Cache-Control, and rate
limited per address (OPENDATA_API_RATE). A bad parameter gets a 400 whose
`detail` says which parameter and why; an unknown item a 404; too many requests
a 429.
"""

from __future__ import annotations

import datetime
import math
import time
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.throttling import BaseThrottle
from pydantic import Field

from civicplatform.notifications.emails import absolute_url

from . import formats, registry, selectors

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50


class AddressThrottle(BaseThrottle):
    """A fixed window per client address, rate read from OPENDATA_API_RATE ("120/m") at each request,
    counted in the shared cache so every web worker counts together."""

    PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def allow_request(self, request: HttpRequest) -> bool:
        number, _slash, unit = str(getattr(settings, "OPENDATA_API_RATE", "120/m")).partition("/")
        limit, period = int(number), self.PERIODS.get(unit[:1] or "m", 60)
        window = int(time.time() // period)
        key = f"opendata:api:rate:{self.get_ident(request)}:{period}:{window}"
        cache.add(key, 0, period + 1)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
            cache.set(key, 1, period + 1)
        self._wait = period - time.time() % period
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)

    def get_ident(self, request: HttpRequest) -> str:
        # The client address as every other limit of the platform sees it: behind the reverse
        # proxy, the header named by DJANGO_CLIENT_IP_HEADER (RATELIMIT_IP_META_KEY), not the proxy.
        from django_ratelimit.core import _get_ip

        try:
            return _get_ip(request)
        except (KeyError, ImproperlyConfigured):
            # A WSGI server that gives no address at all (some test clients): one shared quota.
            return request.META.get("REMOTE_ADDR", "")


api = NinjaAPI(
    title="Civic participation open data API",
    version="1",
    description=(
        "Read-only access to the open data of the participation platform: datasets and their rows "
        "(aggregates and anonymous records only), budget projects and petitions. "
        "Licence Ouverte 2.0. Lists are paged with `page` and `page_size`."
    ),
    urls_namespace="opendata_api",
    docs_url="/docs/",
    openapi_url="/openapi.json",
    throttle=[AddressThrottle()],
)


# ------------------------------------------------------------------------- errors


class ErrorOut(Schema):
    detail: str = Field(description="What was wrong, in plain words.")


ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}


@api.exception_handler(ValidationError)
def bad_parameters(request: HttpRequest, error: ValidationError) -> HttpResponse:
    problems = []
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("query", "path")]
        problems.append(f"{'.'.join(location) or 'request'}: {item.get('msg', 'invalid value')}")
    message = gettext("Invalid parameters: %(problems)s") % {"problems": "; ".join(problems)}
    return api.create_response(request, {"detail": message}, status=400)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    response = api.create_response(request, {"detail": str(error)}, status=error.status_code)
    if error.status_code == 429:
        response["Retry-After"] = "60"
    return response


def not_found(what: str) -> HttpError:
    return HttpError(404, gettext("No %(what)s with this identifier.") % {"what": what})


# ------------------------------------------------------------------------- paging and caching


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")


def paged(request: HttpRequest, items: list[Any], params: PageParams) -> dict[str, Any]:
    count = len(items)
    pages = max(1, math.ceil(count / params.page_size))
    start = (params.page - 1) * params.page_size
    query = request.GET.copy()

    def link(number: int) -> str:
        query["page"] = str(number)
        return absolute_url(request.path) + "?" + query.urlencode()

    return {
        "count": count,
        "page": params.page,
        "pages": pages,
        "next": link(params.page + 1) if params.page < pages else None,
        "previous": link(params.page - 1) if 1 < params.page <= pages else None,
        "results": items[start : start + params.page_size],
    }


def public_cache(response: HttpResponse) -> None:
    """Let browsers and proxies keep an answer as long as the datasets are cached on the server."""
    seconds = selectors.cache_seconds()
    response["Cache-Control"] = f"public, max-age={seconds}" if seconds else "no-cache"


# ------------------------------------------------------------------------- datasets


class ColumnOut(Schema):
    name: str
    type: str = Field(description="string, integer, number, boolean, date or datetime")
    description: str


class LinkOut(Schema):
    format: str
    media_type: str
    url: str


class DatasetOut(Schema):
    key: str
    participation: str
    title: str
    description: str
    license: str
    columns: list[ColumnOut]
    downloads: list[LinkOut]


class DatasetPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[DatasetOut]


class RowPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[dict[str, Any]] = Field(
        description="Rows as in the CSV download, typed as the dataset's columns say; null: suppressed or unknown."
    )


class Participation(StrEnum):
    budget = "budget"
    petition = "petition"
    forum = "forum"


def dataset_out(dataset: registry.Dataset) -> dict[str, Any]:
    extensions = ["csv", "json"] + (["geojson"] if dataset.has_geojson else [])
    media = {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json"}
    downloads = [
        {
            "format": extension,
            "media_type": media[extension],
            "url": absolute_url(reverse("opendata:download", kwargs={"key": dataset.key, "extension": extension})),
        }
        for extension in extensions
    ] + [
        {"format": extra.format.lower(), "media_type": extra.media_type, "url": absolute_url(extra.url)}
        for extra in selectors.extra_files(dataset)
    ]
    return {
        "key": dataset.key,
        "participation": dataset.participation,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "license": formats.LICENCE_URI,
        "columns": [
            {"name": column.name, "type": column.type, "description": str(column.description)}
            for column in dataset.columns
        ],
        "downloads": downloads,
    }


@api.get("/datasets", response={200: DatasetPage, **ERRORS}, tags=["datasets"], summary="List the datasets")
def dataset_list(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[PageParams],
    participation: Participation | None = Query(None, description="Only the datasets of this participation."),  # noqa: B008 - django-ninja declares parameters this way
) -> dict[str, Any]:
    found = registry.datasets(participation.value if participation else None)
    public_cache(response)
    return paged(request, [dataset_out(dataset) for dataset in found], paging)


@api.get("/datasets/{key}", response={200: DatasetOut, **ERRORS}, tags=["datasets"], summary="One dataset")
def dataset_detail(request: HttpRequest, response: HttpResponse, key: Path[str]) -> dict[str, Any]:
    dataset = registry.get_dataset(key)
    if dataset is None:
        raise not_found(gettext("dataset"))
    public_cache(response)
    return dataset_out(dataset)


@api.get("/datasets/{key}/rows", response={200: RowPage, **ERRORS}, tags=["datasets"], summary="The rows of a dataset")
def dataset_rows(
    request: HttpRequest, response: HttpResponse, key: Path[str], paging: Query[PageParams]
) -> dict[str, Any]:
    dataset = registry.get_dataset(key)
    if dataset is None:
        raise not_found(gettext("dataset"))
    rows = [
        {name: formats.cell(row.get(name)) for name in dataset.column_names}
        for row in selectors.published_rows(dataset)
    ]
    public_cache(response)
    return paged(request, rows, paging)


# ------------------------------------------------------------------------- budget projects


class ProjectStatus(StrEnum):
    submitted = "submitted"
    feasible = "feasible"
    unfeasible = "unfeasible"
    merged = "merged"
    shortlisted = "shortlisted"
    selected = "selected"
    not_selected = "not_selected"
    in_progress = "in_progress"
    completed = "completed"


class ProjectOut(Schema):
    project_id: str
    process: str
    budget: str
    title: str
    summary: str
    status: str
    category: str
    district: str
    cost: int
    progress: int
    latitude: float | None
    longitude: float | None
    submitted_on: datetime.date
    url: str


class ProjectPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[ProjectOut]


@api.get("/budgets/projects", response={200: ProjectPage, **ERRORS}, tags=["budgets"], summary="Budget projects")
def budget_projects(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[PageParams],
    process: str | None = Query(None, max_length=120, description="Process identifier (slug)."),  # noqa: B008 - django-ninja declares parameters this way
    status: ProjectStatus | None = Query(None, description="Only projects with this status."),  # noqa: B008 - django-ninja declares parameters this way
    district: str | None = Query(None, max_length=150, description="District name (exact)."),  # noqa: B008 - django-ninja declares parameters this way
) -> dict[str, Any]:
    dataset = registry.get_dataset("budgets-projects")
    if dataset is None:
        raise not_found(gettext("dataset"))
    rows = selectors.published_rows(dataset)
    if process:
        rows = [row for row in rows if row["process"] == process]
    if status:
        rows = [row for row in rows if row["status"] == status.value]
    if district:
        rows = [row for row in rows if row["district"] == district]
    public_cache(response)
    return paged(request, [{name: formats.cell(value) for name, value in row.items()} for row in rows], paging)


# ------------------------------------------------------------------------- petitions


class PetitionStatus(StrEnum):
    open = "open"
    threshold = "threshold"
    closed = "closed"
    answered = "answered"
    archived = "archived"
    rejected = "rejected"


class PetitionKind(StrEnum):
    civic = "civic"
    formal = "formal"


class PetitionOut(Schema):
    petition: str
    title: str
    kind: str
    status: str
    theme: str
    district: str
    signatures: int
    response_threshold: int | None
    debate_threshold: int | None
    published_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    response_threshold_reached_at: datetime.datetime | None
    debate_threshold_reached_at: datetime.datetime | None
    answered_on: datetime.date | None
    council_decision: str
    url: str


class PetitionPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[PetitionOut]


@api.get("/petitions", response={200: PetitionPage, **ERRORS}, tags=["petitions"], summary="Published petitions")
def petitions(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[PageParams],
    status: PetitionStatus | None = Query(None, description="Only petitions with this status."),  # noqa: B008 - django-ninja declares parameters this way
    kind: PetitionKind | None = Query(None, description="civic petitions or formal requests (L1112-16 CGCT)."),  # noqa: B008 - django-ninja declares parameters this way
    min_signatures: int | None = Query(None, ge=0, le=10_000_000, description="At least this many signatures."),  # noqa: B008 - django-ninja declares parameters this way
) -> dict[str, Any]:
    dataset = registry.get_dataset("petitions")
    if dataset is None:
        raise not_found(gettext("dataset"))
    rows = selectors.published_rows(dataset)
    if status:
        rows = [row for row in rows if row["status"] == status.value]
    if kind:
        rows = [row for row in rows if row["kind"] == kind.value]
    if min_signatures is not None:
        rows = [row for row in rows if row["signatures"] >= min_signatures]
    public_cache(response)
    return paged(request, [{name: formats.cell(value) for name, value in row.items()} for row in rows], paging)
