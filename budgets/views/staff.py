"""Staff pages: technical review, merging duplicates, the shortlist, and implementation follow-up.

Evaluators are staff or people given the "review budget projects" permission;
the implementation team are staff or people who may change milestones. Every
page checks its permission on the object (budgets/rules.py) and staff must have
two-factor authentication set up.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..forms import MergeForm, MilestoneForm, ReviewForm, ShortlistForm
from ..models import BudgetProcess, Milestone, Project
from ._helpers import add_errors, back_office_guard


def _queue_url(process: BudgetProcess) -> str:
    return reverse("budgets:review_queue", kwargs={"slug": process.slug})


def _milestones_url(project: Project) -> str:
    return reverse("budgets:milestones", kwargs={"slug": project.process.slug, "public_id": project.public_id})


@require_http_methods(["GET"])
@login_required
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.get_process_for_user(request, slug, "budgets.review_project")
    if guard := back_office_guard(request):
        return guard
    may_shortlist = request.user.has_perm("budgets.select_shortlist", process)
    return render(
        request,
        "budgets/review_queue.html",
        {
            "process": process,
            **selectors.review_queue(process),
            "shortlist_form": ShortlistForm() if may_shortlist else None,
        },
    )


@require_POST
@login_required
def shortlist_select(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.get_process_for_user(request, slug, "budgets.select_shortlist")
    if guard := back_office_guard(request):
        return guard
    form = ShortlistForm(request.POST)
    if form.is_valid():
        try:
            chosen = services.process_shortlist_select(
                process=process, actor=request.user, per_budget=form.cleaned_data["per_budget"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d project is now on the ballot.", "%(count)d projects are now on the ballot.", len(chosen)
                )
                % {"count": len(chosen)},
            )
            return redirect(_queue_url(process))
    return render(
        request,
        "budgets/review_queue.html",
        {"process": process, **selectors.review_queue(process), "shortlist_form": form},
        status=400,
    )


def _review_context(process: BudgetProcess, project: Project, **forms: Any) -> dict[str, Any]:
    return {
        "process": process,
        "project": project,
        "review_form": forms.get("review_form")
        or ReviewForm(
            initial={
                "status": project.status if project.status in ("feasible", "unfeasible") else None,
                "reason": project.review_reason,
                "final_cost": project.final_cost,
            }
        ),
        "merge_form": forms.get("merge_form") or MergeForm(candidates=selectors.merge_candidates(project)),
    }


@require_http_methods(["GET", "POST"])
@login_required
def project_review(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    process, project = selectors.get_project_for_user(request, slug, public_id, "budgets.review_project")
    if guard := back_office_guard(request):
        return guard
    if request.method == "GET":
        return render(request, "budgets/project_review.html", _review_context(process, project))
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.project_review(
                project=project,
                reviewer=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                final_cost=form.cleaned_data["final_cost"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Review of “%(title)s” saved: %(status)s.")
                % {"title": project.title, "status": project.get_status_display()},
            )
            return redirect(_queue_url(process))
    return render(
        request, "budgets/project_review.html", _review_context(process, project, review_form=form), status=400
    )


@require_POST
@login_required
def project_merge(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    process, project = selectors.get_project_for_user(request, slug, public_id, "budgets.review_project")
    if guard := back_office_guard(request):
        return guard
    form = MergeForm(request.POST, candidates=selectors.merge_candidates(project))
    if form.is_valid():
        into = form.cleaned_data["into"]
        try:
            services.project_merge(
                project=project, into=into, reviewer=request.user, reason=form.cleaned_data["merge_reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("“%(title)s” is merged into “%(into)s”.") % {"title": project.title, "into": into.title}
            )
            return redirect(_queue_url(process))
    return render(
        request, "budgets/project_review.html", _review_context(process, project, merge_form=form), status=400
    )


# ---------------------------------------------------------------- implementation follow-up


@require_http_methods(["GET", "POST"])
@login_required
def milestones(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    process, project = selectors.get_project_for_user(request, slug, public_id, "budgets.edit_milestones")
    if guard := back_office_guard(request):
        return guard
    form = MilestoneForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.milestone_create(
                    project=project,
                    actor=request.user,
                    date=data["date"],
                    title=data["title"],
                    description=data["description"],
                    progress=data["progress"],
                    status=data["status"],
                    photo=data.get("photo"),
                    photo_alt_text=data["photo_alt_text"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Milestone added. Followers of the project will be told."))
                return redirect(_milestones_url(project))
    return render(
        request,
        "budgets/milestones.html",
        {"process": process, "project": project, "milestones": list(project.milestones.all()), "form": form},
        status=status,
    )


def _milestone(project: Project, milestone_id: UUID) -> Milestone:
    milestone = next((m for m in project.milestones.all() if m.public_id == milestone_id), None)
    if milestone is None:
        raise Http404
    milestone.project = project
    return milestone


@require_http_methods(["GET", "POST"])
@login_required
def milestone_edit(request: HttpRequest, slug: str, public_id: UUID, milestone_id: UUID) -> HttpResponse:
    process, project = selectors.get_project_for_user(request, slug, public_id, "budgets.edit_milestones")
    if guard := back_office_guard(request):
        return guard
    milestone = _milestone(project, milestone_id)
    initial = {
        "date": milestone.date,
        "title": milestone.title,
        "description": milestone.description,
        "progress": milestone.progress,
        "status": milestone.status,
        "photo_alt_text": milestone.photo_alt_text,
    }
    form = MilestoneForm(request.POST or None, request.FILES or None, initial=initial, has_photo=bool(milestone.photo))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.milestone_update(
                    milestone=milestone,
                    actor=request.user,
                    date=data["date"],
                    title=data["title"],
                    description=data["description"],
                    progress=data["progress"],
                    status=data["status"],
                    photo=data.get("photo"),
                    photo_alt_text=data["photo_alt_text"],
                    remove_photo=bool(data.get("remove_photo")),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Milestone updated."))
                return redirect(_milestones_url(project))
    return render(
        request,
        "budgets/milestone_form.html",
        {"process": process, "project": project, "milestone": milestone, "form": form},
        status=status,
    )


@require_POST
@login_required
def milestone_delete(request: HttpRequest, slug: str, public_id: UUID, milestone_id: UUID) -> HttpResponse:
    process, project = selectors.get_project_for_user(request, slug, public_id, "budgets.edit_milestones")
    if guard := back_office_guard(request):
        return guard
    milestone = _milestone(project, milestone_id)
    services.milestone_delete(milestone=milestone, actor=request.user)
    messages.success(request, _("Milestone “%(title)s” deleted.") % {"title": milestone.title})
    return redirect(_milestones_url(project))
