"""The list of budget processes and the page of one process."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from civicplatform.core.eligibility import eligibility_summary
from civicplatform.verification.desk import participant_for

from .. import selectors
from ..models import PhaseKind


@require_GET
def process_index(request: HttpRequest) -> HttpResponse:
    current, past = selectors.process_lists()
    now = timezone.now()
    return render(
        request,
        "budgets/index.html",
        {
            "current": [(process, process.current_phase(now) or process.next_phase(now)) for process in current],
            "past": past,
        },
    )


@require_GET
def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.get_process_for_user(request, slug)
    now = timezone.now()
    person = participant_for(request).person if request.user.is_authenticated else request.user
    phases = [(phase, phase.status_at(now)) for phase in process.get_phases()]
    return render(
        request,
        "budgets/process_detail.html",
        {
            "process": process,
            "phases": phases,
            "current_phase": process.current_phase(now),
            "budgets": list(process.budgets.all()),
            "actions": selectors.process_actions(process, person, now),
            "eligibility": eligibility_summary(process.eligibility_policy()),
            "show_results": process.is_voting_over(now) and process.has_phase(PhaseKind.VOTING),
            "results_url": selectors.results_url(process),
            "may_review": request.user.has_perm("budgets.review_project", process),
        },
    )
