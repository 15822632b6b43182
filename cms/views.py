from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over the published, public pages of the current site."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    pages = Page.objects.live().public()
    site = Site.find_for_request(request)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    results = pages.specific().search(query) if query else Page.objects.none()
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    for result in page:
        # Shown next to each title so people can tell a news article from a legal page.
        result.kind_label = result._meta.verbose_name
        describe = getattr(result, "get_meta_description", None)
        result.summary = describe() if describe else result.search_description
    return render(request, "cms/search.html", {"search_query": query, "results": page})
