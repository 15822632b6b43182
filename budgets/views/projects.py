"""Projects: the filtered list (and its map), a project's page, proposing one, supporting one."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from civicplatform.verification.desk import participant_for

from .. import selectors, services
from ..forms import ProjectFilterForm, ProjectForm
from ..models import PhaseKind
from ._helpers import add_errors, refused, safe_next


@require_GET
def project_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.get_process_for_user(request, slug)
    form = ProjectFilterForm(request.GET or None, process=process)
    status = 200
    if form.is_bound and not form.is_valid():
        # Keep the filters that are valid, show the others' errors.
        status = 400
    data = getattr(form, "cleaned_data", {})
    filters = selectors.ProjectFilters(
        budget=data.get("budget"),
        category=data.get("category"),
        district=data.get("district"),
        status=data.get("status") or "",
        q=data.get("q") or "",
        on_ballot=bool(data.get("on_ballot")),
    )
    page = selectors.project_list(process, filters, request.GET.get("page"))
    projects = list(page.object_list)
    person = participant_for(request).person if request.user.is_authenticated else request.user
    shortlist_open = process.is_phase_open(PhaseKind.SHORTLIST)
    supported = selectors.supported_project_ids(person, projects) if shortlist_open else set()
    may_support = {
        project.pk for project in projects if shortlist_open and person.has_perm("budgets.support_project", project)
    }
    return render(
        request,
        "budgets/project_list.html",
        {
            "process": process,
            "form": form,
            "filters": filters,
            "page_obj": page,
            "projects": projects,
            "supported": supported,
            "may_support": may_support,
            "shortlist_open": shortlist_open,
            "map": selectors.map_settings(),
            "map_points": selectors.map_points(projects),
            "may_submit": person.has_perm("budgets.submit_project", process),
        },
        status=status,
    )


@require_GET
def project_detail(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    process, project = selectors.get_project_for_user(request, slug, public_id)
    person = participant_for(request).person if request.user.is_authenticated else request.user
    shortlist_open = process.is_phase_open(PhaseKind.SHORTLIST)
    context = {
        "process": process,
        "project": project,
        "photos": list(project.photos.all()),
        "milestones": list(project.milestones.all()),
        "merged_projects": list(project.merged_projects.all()),
        "map": selectors.map_settings(),
        "map_points": selectors.map_points([project]),
        "shortlist_open": shortlist_open,
        "supported": bool(selectors.supported_project_ids(person, [project])) if shortlist_open else False,
        "support_decision": selectors.support_decision(project, person) if shortlist_open else None,
        "may_review": request.user.has_perm("budgets.review_project", project),
        "may_edit_milestones": request.user.has_perm("budgets.edit_milestones", project),
        "show_cost_review": project.final_cost is not None and project.final_cost != project.cost,
    }
    return render(request, "budgets/project_detail.html", context)


def _submit_rate_limited(request: HttpRequest) -> bool:
    return is_ratelimited(
        request, group="budgets:submit", key="user", rate=settings.BUDGETS_SUBMIT_RATE, method="POST", increment=True
    )


@require_http_methods(["GET", "POST"])
@login_required
def project_submit(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.get_process_for_user(request, slug)
    participation = participant_for(request)
    person = participation.person
    back = process.get_absolute_url()
    decision = selectors.submit_decision(process, person)
    if not decision.allowed:
        return refused(request, decision, back=back)
    form = ProjectForm(request.POST or None, request.FILES or None, process=process)
    status = 200
    if request.method == "POST":
        status = 400
        if _submit_rate_limited(request):
            form.is_valid()
            form.add_error(None, _("You have sent many ideas in a short time. Please wait a while; your text is kept."))
            status = 429
        elif form.is_valid():
            try:
                project = services.project_submit(
                    process=process,
                    author=person,
                    budget=form.cleaned_data["budget"],
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    description=form.cleaned_data["description"],
                    cost=form.cleaned_data["cost"],
                    category=form.cleaned_data.get("category"),
                    district=form.cleaned_data.get("district"),
                    address=form.cleaned_data.get("address", ""),
                    latitude=form.cleaned_data.get("latitude"),
                    longitude=form.cleaned_data.get("longitude"),
                    photos=[services.PhotoUpload(file=file, alt_text=alt) for file, alt in form.photos()],
                    **participation.audit_kwargs,
                )
            except PermissionDenied as refusal:
                return refused(request, str(refusal), back=back)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you! Your project idea has been received. The town's services will review it."),
                )
                return redirect(project.get_absolute_url())
    return render(
        request,
        "budgets/project_form.html",
        {
            "process": process,
            "form": form,
            "map": selectors.map_settings(),
            "map_center": selectors.map_center(process) if settings.MAP_ENABLED else "",
        },
        status=status,
    )


@require_POST
def project_support(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    process, project = selectors.get_project_for_user(request, slug, public_id)
    back = safe_next(request, project.get_absolute_url())
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={project.get_absolute_url()}")
    participation = participant_for(request)
    try:
        supported = services.project_support_toggle(
            project=project, person=participation.person, **participation.audit_kwargs
        )
    except PermissionDenied as refusal:
        decision = selectors.support_decision(project, participation.person)
        return refused(request, str(refusal) if decision.allowed else decision, back=back)
    if supported:
        messages.success(request, _("Your support for “%(title)s” is recorded.") % {"title": project.title})
    else:
        messages.info(request, _("You no longer support “%(title)s”.") % {"title": project.title})
    return redirect(back)
