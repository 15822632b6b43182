"""Results pages: the count of each budget explained, participation, and the ballot files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from budgets import selectors as budget_selectors
from budgets.models import BudgetProcess, PhaseKind
from budgets.results import selectors, services
from budgets.results.forms import PbImportForm
from budgets.views._helpers import back_office_guard, refused
from budgets.voting.selectors import budget_get
from civicplatform.core.eligibility import Decision


def _process_with_results(request: HttpRequest, slug: str) -> tuple[BudgetProcess, HttpResponse | None]:
    process = budget_selectors.get_process_for_user(request, slug)
    if selectors.results_visible(process, request.user):
        return process, None
    phase = process.phase(PhaseKind.VOTING)
    reason = _("The results are published when the vote closes.")
    if phase is not None:
        reason = _("The results are published when the vote closes, on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(phase.ends_at), "DATE_FORMAT")
        }
    return process, refused(
        request, Decision(allowed=False, code="phase", reason=reason), back=process.get_absolute_url()
    )


def _is_results_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """Every budget's outcome with the rule explained, a chart and a table, and participation."""
    process, refusal = _process_with_results(request, slug)
    if refusal is not None:
        return refusal
    return render(
        request,
        "budgets/results/results.html",
        {
            "process": process,
            "results": selectors.process_results(process),
            "stats": selectors.process_statistics(process),
            "preview": not process.is_voting_over(),
            "may_apply": _is_results_staff(request.user) and process.is_voting_over() and not process.is_imported,
        },
    )


@require_GET
def results_pb(request: HttpRequest, slug: str, budget_slug: str) -> HttpResponse:
    """The anonymous ballots and the result of one budget, as a pabulib `.pb` file."""
    process, refusal = _process_with_results(request, slug)
    if refusal is not None:
        return refusal
    budget = budget_get(process, budget_slug)
    response = HttpResponse(selectors.budget_pb(budget), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{selectors.pb_filename(budget)}"'
    return response


@require_POST
def results_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff record the count on the projects: selected, or not selected."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _is_results_staff(request.user):
        raise PermissionDenied
    blocked = back_office_guard(request)
    if blocked:
        return blocked
    process = budget_selectors.get_process_for_user(request, slug)
    try:
        count = services.results_apply(process=process, actor=request.user)
    except ValidationError as error:
        return refused(
            request,
            Decision(allowed=False, reason=" ".join(error.messages)),
            back=process.get_absolute_url(),
            status=400,
        )
    messages.success(
        request,
        ngettext(
            "The results are recorded: %(count)d project is marked as selected.",
            "The results are recorded: %(count)d projects are marked as selected.",
            count,
        )
        % {"count": count},
    )
    return redirect("budgets:results", process.slug)


@require_http_methods(["GET", "POST"])
def pb_upload(request: HttpRequest) -> HttpResponse:
    """Staff replay a real election: upload a pabulib file, get a finished process with its results."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _is_results_staff(request.user):
        raise PermissionDenied
    blocked = back_office_guard(request)
    if blocked:
        return blocked
    if request.method == "GET":
        return render(request, "budgets/results/pb_import.html", {"form": PbImportForm()})
    form = PbImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "budgets/results/pb_import.html", {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    try:
        imported = services.pb_import(
            data=upload.read(), actor=request.user, filename=upload.name, slug=form.cleaned_data["slug"]
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error("file", message)
        return render(request, "budgets/results/pb_import.html", {"form": form}, status=400)
    messages.success(request, _("The election has been imported: here are its results."))
    for warning in imported.warnings[:10]:
        messages.warning(request, warning)
    return redirect("budgets:results", imported.process.slug)
