"""The authority's response: staff answer each adopted recommendation and report progress; the public
reads each recommendation with its vote, minority views, answer and progress, and an overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services_response as services
from ..forms_response import NOT_ADOPTED, PENDING, DecisionFilterForm, ProgressForm, ResponseForm
from ..models import Decision, Jury, JuryReport, ProgressReport, Recommendation, RecommendationStatus
from ..selectors_recommendations import supports_by_number
from ._helpers import form_errors_to_form, get_jury_for_user


def get_reported_jury_for_user(request: HttpRequest, slug: str, *, manage: bool = False) -> tuple[Jury, JuryReport]:
    """The jury (as `get_jury_for_user`) and its published report; 404 while the report is unpublished."""
    jury = get_jury_for_user(request, slug, manage=manage)
    report = services.published_report(jury)
    if report is None:
        raise Http404
    return jury, report


def get_recommendation_for_user(jury: Jury, number: int, *, adopted_only: bool = False) -> Recommendation:
    """A recommendation of the published report (adopted or not); 404 for drafts and withdrawn ones."""
    statuses = [RecommendationStatus.ADOPTED] if adopted_only else list(services.IN_REPORT)
    return get_object_or_404(
        Recommendation.objects.select_related("jury", "response"), jury=jury, number=number, status__in=statuses
    )


# ------------------------------------------------------------------------------
# Public pages
# ------------------------------------------------------------------------------
@require_GET
def recommendation_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    jury, report = get_reported_jury_for_user(request, slug)
    recommendation = get_recommendation_for_user(jury, number)
    support = supports_by_number([jury]).get((jury.pk, recommendation.number))
    context = {
        "jury": jury,
        "report": report,
        "recommendation": recommendation,
        "support": support,
        "minority_views": list(recommendation.minority_views.annotate(signed=Count("signatories")).order_by("id")),
        "response": services.response_of(recommendation),
        "progress_reports": list(recommendation.progress_reports.order_by("reported_on", "id")),
    }
    return render(request, "juries/response/recommendation.html", context)


@require_GET
def response_overview(request: HttpRequest, slug: str) -> HttpResponse:
    jury, report = get_reported_jury_for_user(request, slug)
    recommendations = services.report_recommendations(jury)
    adopted = [r for r in recommendations if r.status == RecommendationStatus.ADOPTED]
    answered = [r for r in adopted if services.response_of(r) is not None]
    counts = [
        (choice, label, sum(1 for r in answered if r.response.decision == choice)) for choice, label in Decision.choices
    ]
    form = DecisionFilterForm(request.GET or None)
    status = 200
    shown = recommendations
    if form.is_bound:
        if form.is_valid():
            chosen = form.cleaned_data["decision"]
            if chosen == PENDING:
                shown = [r for r in adopted if services.response_of(r) is None]
            elif chosen == NOT_ADOPTED:
                shown = [r for r in recommendations if r.status == RecommendationStatus.NOT_ADOPTED]
            elif chosen:
                shown = [r for r in answered if r.response.decision == chosen]
        else:
            status = 400
    context = {
        "jury": jury,
        "report": report,
        "recommendations": shown,
        "total": len(recommendations),
        "adopted_count": len(adopted),
        "counts": counts,
        "pending_count": len(adopted) - len(answered),
        "not_adopted_count": len(recommendations) - len(adopted),
        "form": form,
        "filtered": form.is_bound and form.is_valid() and bool(form.cleaned_data["decision"]),
    }
    return render(request, "juries/response/overview.html", context, status=status)


# ------------------------------------------------------------------------------
# Staff
# ------------------------------------------------------------------------------
def _respond_page(
    request: HttpRequest, jury: Jury, report: JuryReport, *, status: int = 200, number: int | None = None, **bound
) -> HttpResponse:
    """The response page: one form per adopted recommendation, and a progress form under each
    accepted or partly accepted one. `bound` carries the submitted form that failed, for `number`."""
    recommendations = list(
        Recommendation.objects.filter(jury=jury, status=RecommendationStatus.ADOPTED)
        .select_related("response")
        .prefetch_related(
            Prefetch("progress_reports", queryset=ProgressReport.objects.order_by("reported_on", "id")),
            Prefetch("minority_views"),
        )
        .order_by("number")
    )
    rows = []
    for recommendation in recommendations:
        response = services.response_of(recommendation)
        prefix = f"r{recommendation.number}"
        response_form = ResponseForm(
            prefix=prefix,
            initial=(
                {"decision": response.decision, "reasons": response.reasons, "commitments": response.commitments}
                if response
                else None
            ),
        )
        followed_up = response is not None and response.decision in services.FOLLOWED_UP
        progress_form = ProgressForm(prefix=f"p{recommendation.number}") if followed_up else None
        if recommendation.number == number:
            response_form = bound.get("response_form") or response_form
            progress_form = bound.get("progress_form") or progress_form
        rows.append(
            {
                "recommendation": recommendation,
                "response": response,
                "response_form": response_form,
                "progress_form": progress_form,
            }
        )
    context = {
        "jury": jury,
        "report": report,
        "rows": rows,
        "answered": sum(1 for row in rows if row["response"] is not None),
        "error_number": number,
    }
    return render(request, "juries/response/respond.html", context, status=status)


@login_required
@require_GET
def respond(request: HttpRequest, slug: str) -> HttpResponse:
    jury, report = get_reported_jury_for_user(request, slug, manage=True)
    return _respond_page(request, jury, report)


@login_required
@require_POST
def respond_save(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    jury, report = get_reported_jury_for_user(request, slug, manage=True)
    recommendation = get_recommendation_for_user(jury, number, adopted_only=True)
    form = ResponseForm(request.POST, prefix=f"r{recommendation.number}")
    if form.is_valid():
        had_response = services.response_of(recommendation) is not None
        try:
            services.response_publish(
                recommendation=recommendation,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
                commitments=form.cleaned_data["commitments"],
                actor=request.user,
            )
        except ValidationError as error:
            form_errors_to_form(form, error)
        else:
            if had_response:
                message = _("The response to R%(number)d is corrected; the public page shows the date of the change.")
            else:
                message = _("The response to R%(number)d is published.")
            messages.success(request, message % {"number": recommendation.number})
            return redirect(reverse("juries:respond", args=[jury.slug]) + f"#r{recommendation.number}")
    return _respond_page(request, jury, report, status=400, number=recommendation.number, response_form=form)


@login_required
@require_POST
def progress_add(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    jury, report = get_reported_jury_for_user(request, slug, manage=True)
    recommendation = get_recommendation_for_user(jury, number, adopted_only=True)
    form = ProgressForm(request.POST, prefix=f"p{recommendation.number}")
    if form.is_valid():
        try:
            services.progress_report_add(
                recommendation=recommendation,
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
                reported_on=form.cleaned_data["reported_on"],
                actor=request.user,
            )
        except ValidationError as error:
            form_errors_to_form(form, error)
        else:
            messages.success(request, _("Progress on R%(number)d is published.") % {"number": recommendation.number})
            return redirect(reverse("juries:respond", args=[jury.slug]) + f"#r{recommendation.number}")
    return _respond_page(request, jury, report, status=400, number=recommendation.number, progress_form=form)
