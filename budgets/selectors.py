"""Reads of participatory budgets: access helpers, lists, and "what may I do now"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from civicplatform.core.eligibility import Decision
from civicplatform.core.registry import FeaturedItem
from civicplatform.moderation.selectors import user_is_blocked_cached

from .models import (
    Budget,
    BudgetPhase,
    BudgetProcess,
    Milestone,
    PhaseKind,
    Project,
    ProjectPhoto,
    ProjectStatus,
    Support,
    VotingScope,
)

PROJECTS_PER_PAGE = 24


# ---------------------------------------------------------------- processes


def _process_queryset() -> QuerySet[BudgetProcess]:
    return BudgetProcess.objects.prefetch_related(
        Prefetch("phases", queryset=BudgetPhase.objects.order_by("starts_at")),
        Prefetch("budgets", queryset=Budget.objects.select_related("district")),
        "categories",
        "restricted_districts",
    )


def process_get(slug: str) -> BudgetProcess:
    """The process with its phases, budgets, categories and eligibility prefetched; 404 if unknown."""
    process = _process_queryset().filter(slug=slug).first()
    if process is None:
        raise Http404
    return process


def get_process_for_user(request: Any, slug: str, perm: str = "budgets.view_process") -> BudgetProcess:
    """The process named in the URL: 404 when unknown, 403 when `perm` is refused."""
    process = process_get(slug)
    if not request.user.has_perm(perm, process):
        raise PermissionDenied
    return process


def process_lists(now: datetime.datetime | None = None) -> tuple[list[BudgetProcess], list[BudgetProcess]]:
    """Current processes (a phase open or to come) and past ones, for the index page."""
    now = now or timezone.now()
    current = list(_process_queryset().current(now))
    past = list(_process_queryset().past(now))
    return current, past


# ---------------------------------------------------------------- budgets per voter


def budgets_for_voter(process: BudgetProcess, person: Any) -> list[Budget]:
    """The budgets `person` may vote in, according to the process's voting scope.

    Eligibility (verification, age, restricted districts) is not checked here:
    ask process.eligibility_policy() first. For ANY_ONE every budget is a
    candidate; the ballot ledger makes sure the person votes in one only.
    A person without a known district may only vote in the city-wide budgets
    under the district scopes.
    """
    budgets = list(process.budgets.all())
    scope = process.voting_scope
    if scope in (VotingScope.ANY_ONE, VotingScope.ALL):
        return budgets
    district_id = getattr(person, "district_id", None) if getattr(person, "is_authenticated", False) else None
    own = [budget for budget in budgets if district_id is not None and budget.district_id == district_id]
    if scope == VotingScope.OWN_DISTRICT:
        return own
    return [budget for budget in budgets if budget.district_id is None or budget.district_id == district_id]


# ---------------------------------------------------------------- what may I do now


def _date(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def _phase_refusal(process: BudgetProcess, kind: str, now: datetime.datetime) -> Decision | None:
    """Why the phase of `kind` does not allow acting now, or None when it is open."""
    phase = process.phase(kind)
    label = PhaseKind(kind).label
    if phase is None:
        return Decision(
            allowed=False, code="phase", reason=_("This process has no “%(phase)s” phase.") % {"phase": label}
        )
    if phase.is_upcoming_at(now):
        return Decision(
            allowed=False,
            code="phase",
            reason=_("“%(phase)s” opens on %(date)s.") % {"phase": label, "date": _date(phase.starts_at)},
        )
    if phase.is_finished_at(now):
        return Decision(
            allowed=False,
            code="phase",
            reason=_("“%(phase)s” closed on %(date)s.") % {"phase": label, "date": _date(phase.ends_at)},
        )
    return None


def _person_refusal(process: BudgetProcess, person: Any) -> Decision | None:
    decision = process.eligibility_policy().check(person, today=timezone.localdate())
    if not decision.allowed:
        return decision
    if user_is_blocked_cached(person):
        return Decision(
            allowed=False,
            code="blocked",
            reason=_("Your account may not take part for now: a moderator has suspended your contributions."),
        )
    return None


def submit_decision(process: BudgetProcess, person: Any, now: datetime.datetime | None = None) -> Decision:
    """May `person` propose a project now? With the reason when not (same answer as budgets.submit_project)."""
    now = now or timezone.now()
    # Decisions are falsy when refused: compare with None, never chain them with `or`.
    refusal = _phase_refusal(process, PhaseKind.SUBMISSION, now)
    if refusal is None:
        refusal = _person_refusal(process, person)
    return refusal if refusal is not None else Decision(allowed=True)


def support_decision(project: Project, person: Any, now: datetime.datetime | None = None) -> Decision:
    """May `person` support (or stop supporting) `project` now? (budgets.support_project)."""
    now = now or timezone.now()
    refusal = _phase_refusal(project.process, PhaseKind.SHORTLIST, now)
    if refusal is not None:
        return refusal
    if project.status != ProjectStatus.FEASIBLE or project.is_hidden:
        return Decision(allowed=False, code="status", reason=_("Only projects found feasible can be supported."))
    refusal = _person_refusal(project.process, person)
    return refusal if refusal is not None else Decision(allowed=True)


@dataclass(frozen=True)
class ProcessAction:
    """One thing a person might do in the process, for the "what you can do now" box."""

    label: str
    url: str
    decision: Decision


def process_actions(process: BudgetProcess, person: Any, now: datetime.datetime | None = None) -> list[ProcessAction]:
    """The actions of the phases open now, each with its answer for `person`."""
    now = now or timezone.now()
    actions: list[ProcessAction] = []
    current = {phase.kind for phase in process.get_phases() if phase.is_active_at(now)}
    if PhaseKind.SUBMISSION in current:
        actions.append(
            ProcessAction(
                label=_("Propose a project"),
                url=reverse("budgets:submit", kwargs={"slug": process.slug}),
                decision=submit_decision(process, person, now),
            )
        )
    if PhaseKind.SHORTLIST in current:
        refusal = _person_refusal(process, person)
        actions.append(
            ProcessAction(
                label=_("Support the projects you want on the ballot"),
                url=reverse("budgets:projects", kwargs={"slug": process.slug}) + f"?status={ProjectStatus.FEASIBLE}",
                decision=refusal if refusal is not None else Decision(allowed=True),
            )
        )
    if PhaseKind.VOTING in current:
        refusal = _person_refusal(process, person)
        if refusal is None and getattr(person, "is_authenticated", False) and not budgets_for_voter(process, person):
            refusal = Decision(
                allowed=False, code="scope", reason=_("There is no budget of this process you may vote in.")
            )
        actions.append(
            ProcessAction(
                label=_("Vote now"),
                url=vote_url(process),
                decision=refusal if refusal is not None else Decision(allowed=True),
            )
        )
    return actions


def vote_url(process: BudgetProcess) -> str:
    """The ballot page (budgets.voting)."""
    return reverse("budgets:vote", kwargs={"slug": process.slug})


def results_url(process: BudgetProcess) -> str:
    """The results page (budgets.results)."""
    return reverse("budgets:results", kwargs={"slug": process.slug})


# ---------------------------------------------------------------- projects


@dataclass(frozen=True)
class ProjectFilters:
    budget: Budget | None = None
    category: Any = None
    district: Any = None
    status: str = ""
    q: str = ""
    on_ballot: bool = False

    @property
    def active(self) -> bool:
        return bool(self.budget or self.category or self.district or self.status or self.q or self.on_ballot)


def _project_list_queryset(process: BudgetProcess) -> QuerySet[Project]:
    # Through the relation so every row gets `process` without a join or a query.
    return (
        process.projects.select_related("budget", "category", "district", "merged_into")
        .annotate(support_count=Count("supports"))
        .prefetch_related(Prefetch("photos", queryset=ProjectPhoto.objects.order_by("position", "pk")))
    )


def project_list(process: BudgetProcess, filters: ProjectFilters, page_number: Any = 1) -> Page:
    """One page of the process's projects, filtered, in a constant number of queries."""
    projects = _project_list_queryset(process)
    if filters.budget is not None:
        projects = projects.filter(budget=filters.budget)
    if filters.category is not None:
        projects = projects.filter(category=filters.category)
    if filters.district is not None:
        projects = projects.filter(district=filters.district)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.on_ballot:
        projects = projects.on_ballot()
    projects = projects.search(filters.q).order_by("-created_at", "-pk")
    return Paginator(projects, PROJECTS_PER_PAGE).get_page(page_number)


def map_points(projects: Any) -> list[dict[str, Any]]:
    """What the map island draws: the located, visible projects of the list shown below it."""
    return [
        {
            "title": project.title,
            "url": project.get_absolute_url(),
            "lat": float(project.latitude),
            "lng": float(project.longitude),
            "status": project.get_status_display(),
        }
        for project in projects
        if project.has_location and not project.is_hidden
    ]


def map_settings() -> dict[str, Any]:
    return {
        "enabled": settings.MAP_ENABLED,
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
    }


# The middle of metropolitan France, when a process has no located project yet.
DEFAULT_MAP_CENTER = "46.6,2.5,6"


def map_center(process: BudgetProcess) -> str:
    """ "lat,lng,zoom" where the location picker opens: around the process's located projects."""
    centre = process.projects.with_location().aggregate(lat=Avg("latitude"), lng=Avg("longitude"))
    if centre["lat"] is None:
        return DEFAULT_MAP_CENTER
    return f"{centre['lat']:.5f},{centre['lng']:.5f},13"


def project_get(process: BudgetProcess, public_id: UUID) -> Project:
    """A project of `process` with what its page shows; 404 when it is not one of them."""
    project = (
        process.projects.select_related("budget", "category", "district", "author", "merged_into")
        .annotate(support_count=Count("supports"))
        .prefetch_related(
            Prefetch("photos", queryset=ProjectPhoto.objects.order_by("position", "pk")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "pk")),
            Prefetch("merged_projects", queryset=Project.objects.order_by("title")),
        )
        .filter(public_id=public_id)
        .first()
    )
    if project is None:
        raise Http404
    return project


def get_project_for_user(
    request: Any, slug: str, public_id: UUID, perm: str = "budgets.view_project"
) -> tuple[BudgetProcess, Project]:
    """The process and project named in the URL: 404 when unknown, 403 when `perm` is refused."""
    process = process_get(slug)
    project = project_get(process, public_id)
    if not request.user.has_perm(perm, project):
        raise PermissionDenied
    return process, project


def supported_project_ids(person: Any, projects: Any) -> set[int]:
    """Which of `projects` `person` supports (one query)."""
    if not getattr(person, "is_authenticated", False):
        return set()
    ids = [project.pk for project in projects]
    return set(Support.objects.filter(user=person, project_id__in=ids).values_list("project_id", flat=True))


def review_queue(process: BudgetProcess) -> dict[str, list[Project]]:
    """Projects awaiting review, and those already reviewed, for evaluators."""
    projects = list(
        process.projects.select_related("budget", "district", "category", "merged_into")
        .annotate(support_count=Count("supports"))
        .order_by("created_at", "pk")
    )
    return {
        "awaiting": [project for project in projects if project.status == ProjectStatus.SUBMITTED],
        "reviewed": [project for project in projects if project.status != ProjectStatus.SUBMITTED],
    }


def merge_candidates(project: Project) -> QuerySet[Project]:
    """Projects of the same process a duplicate may be merged into."""
    return (
        Project.objects.filter(process_id=project.process_id)
        .exclude(pk=project.pk)
        .exclude(status__in=[ProjectStatus.MERGED, ProjectStatus.WITHDRAWN, ProjectStatus.UNFEASIBLE])
        .order_by("title")
    )


# ---------------------------------------------------------------- home page


def featured_processes(limit: int) -> list[FeaturedItem]:
    """Open processes for the home page, each with its current phase and when it ends."""
    now = timezone.now()
    items = []
    for process in _process_queryset().current(now)[:limit]:
        phase = process.current_phase(now)
        if phase is None:
            upcoming = process.next_phase(now)
            status = (
                _("%(phase)s from %(date)s") % {"phase": upcoming.get_kind_display(), "date": _date(upcoming.starts_at)}
                if upcoming
                else ""
            )
        else:
            status = _("%(phase)s until %(date)s") % {"phase": phase.get_kind_display(), "date": _date(phase.ends_at)}
        summary = process.description.strip().split("\n", 1)[0][:200] if process.description else ""
        items.append(
            FeaturedItem(
                title=process.title,
                summary=summary,
                url=process.get_absolute_url(),
                kind=_("Participatory budget"),
                status=status,
            )
        )
    return items
