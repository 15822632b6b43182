"""The open-data page and the downloads (CSV, JSON, GeoJSON)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST

from civicplatform.notifications.emails import absolute_url

from . import dashboards, dcat, formats, registry, selectors
from .registry import Column, Dataset
from .suppression import min_count
from .tasks import impact_compute as impact_compute_task

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/index.html",
        {
            "groups": [
                (key, label, [(dataset, selectors.extra_files(dataset)) for dataset in found])
                for key, label, found in registry.grouped()
            ],
            "feeds": registry.feeds(),
            "widgets": registry.widgets(),
            "licence_url": formats.LICENCE_URL,
            "min_count": min_count(),
        },
    )


@require_GET
@cache_control(max_age=300, public=True)
def download(request: HttpRequest, key: str, extension: str) -> HttpResponse:
    dataset = selectors.dataset_get(key)
    rows = selectors.published_rows(dataset)
    if extension == "csv":
        body = formats.to_csv(dataset, rows)
    elif extension == "json":
        body = formats.to_json(dataset, rows, url=absolute_url(request.path))
    elif extension == "geojson" and dataset.geojson is not None:
        body = formats.to_geojson(dataset, rows)
    else:
        raise Http404
    response = HttpResponse(body, content_type=MEDIA_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{dataset.key}.{extension}"'
    response["Link"] = f'<{formats.LICENCE_URI}>; rel="license"'
    return response


@require_GET
@cache_control(max_age=300, public=True)
def catalogue(request: HttpRequest) -> HttpResponse:
    """The DCAT catalogue (JSON-LD), paged: ?page=N&page_size=M."""
    try:
        page = int(request.GET.get("page", "1"))
        page_size = int(request.GET.get("page_size", str(dcat.PAGE_SIZE)))
    except ValueError:
        return JsonResponse({"error": gettext("page and page_size must be whole numbers.")}, status=400)
    try:
        document = dcat.catalogue(page, page_size)
    except dcat.PageError as error:
        return JsonResponse({"error": str(error)}, status=error.status)
    return HttpResponse(json.dumps(document, ensure_ascii=False, indent=1), content_type="application/ld+json")


def download_url(dataset: registry.Dataset, extension: str) -> str:
    return reverse("opendata:download", kwargs={"key": dataset.key, "extension": extension})


# ---------------------------------------------------------------------------- impact dashboards


def _schedule_first_computation() -> None:
    # Before the first hourly run (a fresh install): ask for one, at most every five minutes.
    # Without Redis Celery runs it inline, so `make run` shows figures at once.
    if cache.add("opendata:impact:first-run", 1, 300):
        impact_compute_task.delay()


def _dashboard_page(request: HttpRequest, *, public: bool) -> HttpResponse:
    board = dashboards.dashboard(public=public)
    if board.run is None:
        _schedule_first_computation()
        board = dashboards.dashboard(public=public)
    return render(request, "opendata/dashboard.html", {"board": board, "public": public})


def _require_staff(request: HttpRequest) -> None:
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return _dashboard_page(request, public=True)


@require_GET
@login_required
def dashboard_staff(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return _dashboard_page(request, public=False)


@require_POST
@login_required
def dashboard_refresh(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    impact_compute_task.delay()
    messages.success(request, gettext("The figures are being computed again; reload the page in a minute."))
    return redirect("opendata:dashboard_staff")


DASHBOARD_DATASET = Dataset(
    key="impact",
    participation="",
    title="impact",
    description="",
    columns=tuple(
        Column(name, kind, "")
        for name, kind in (
            ("metric", "string"),
            ("participation", "string"),
            ("month", "date"),
            ("label", "string"),
            ("value", "integer"),
            ("reference", "integer"),
            ("computed_at", "datetime"),
        )
    ),
    rows=list,
)


@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The dashboard's figures as CSV: suppressed for the public, exact for staff (?exact=1)."""
    public = request.GET.get("exact") != "1"
    if not public:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
        _require_staff(request)
    body = formats.to_csv(DASHBOARD_DATASET, dashboards.figures_csv_rows(public=public))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="impact.csv"'
    return response


# ---------------------------------------------------------------------------- widgets


@require_GET
@xframe_options_exempt
@cache_control(max_age=300, public=True)
def widget_budget(request: HttpRequest, slug: str, budget_slug: str) -> HttpResponse:
    """The result of one budget for other sites to embed in an iframe (public once the vote is over)."""
    from budgets.models import Budget
    from budgets.results.selectors import budget_result, result_projects

    budget = (
        Budget.objects.select_related("process", "district")
        .prefetch_related("process__phases")
        .filter(process__slug=slug, slug=budget_slug)
        .first()
    )
    if budget is None or not budget.process.is_voting_over():
        raise Http404
    projects = [project for project in result_projects(budget.process) if project.budget_id == budget.pk]
    result = budget_result(budget, projects)
    return render(
        request,
        "opendata/widget_budget.html",
        {
            "budget": budget,
            "result": result,
            "results_url": absolute_url(reverse("budgets:results", kwargs={"slug": slug})),
        },
    )


@require_GET
@xframe_options_exempt
@cache_control(max_age=300, public=True)
def widget_vote(request: HttpRequest, slug: str) -> HttpResponse:
    """The result of a local consultation or referendum for other sites to embed (public once the poll is closed)."""
    from consultations.models import LocalVote
    from consultations.votes import local_vote_results

    vote = LocalVote.objects.prefetch_related("phases").filter(slug=slug, published=True).first()
    if vote is None or not vote.is_closed():
        raise Http404
    return render(
        request,
        "opendata/widget_vote.html",
        {
            "vote": vote,
            "results": local_vote_results(vote),
            "results_url": absolute_url(reverse("consultations:vote_results", args=[slug])),
        },
    )
