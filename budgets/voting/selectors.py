"""Reads for voting: the ballot of a budget, project codes, and "may this person vote here now"."""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from budgets.models import VOTED_STATUSES, Budget, BudgetProcess, PhaseKind, Project, ProjectStatus, VotingScope
from budgets.selectors import budgets_for_voter
from civicplatform.ballots.selectors import voted_in
from civicplatform.ballots.services import election_key
from civicplatform.core.eligibility import Decision


def ballot_get(process_slug: str, budget_slug: str) -> tuple[BudgetProcess, Budget]:
    """The process and budget of a ballot page, in three queries; 404 when unknown.

    The vote is the busiest write of the platform (docs/BENCHMARKS.md, "Budget ballots"):
    only what the vote needs is loaded (phases and eligibility districts), not the
    categories and sibling budgets a process page shows.
    """
    try:
        # get(), not first(): no ORDER BY to build for a unique row.
        budget = Budget.objects.select_related("process", "district").get(process__slug=process_slug, slug=budget_slug)
    except Budget.DoesNotExist:
        raise Http404 from None
    prefetch_related_objects([budget.process], "phases", "restricted_districts")
    return budget.process, budget


# The ballot page's process, budget and projects, kept a few seconds in each server process
# (BUDGETS_BALLOT_CACHE_SECONDS): at the peak of a vote every voter loads the same rows, and
# loading them took half the server time of a vote (docs/BENCHMARKS.md, "Budget ballots").
# Saving a process, phase, budget or project empties it at once in the process that saved;
# the others see the change within the delay. What a ballot may hold is still checked when
# it is cast against these rows (the vote's dates to the second), and one ballot per person
# is the database's unique constraint, which no cache can bypass.
_ballot_cache: dict[tuple[str, str], tuple[float, BudgetProcess, Budget, list[Project]]] = {}


def ballot_context(process_slug: str, budget_slug: str) -> tuple[BudgetProcess, Budget, list[Project]]:
    """ballot_get() and ballot_projects(), from the short cache when it is on; 404 when unknown.

    The instances may be shared by concurrent requests: callers only read them.
    """
    seconds = settings.BUDGETS_BALLOT_CACHE_SECONDS
    key = (process_slug, budget_slug)
    if seconds > 0:
        entry = _ballot_cache.get(key)
        if entry is not None and entry[0] > time.monotonic():
            return entry[1], entry[2], entry[3]
    process, budget = ballot_get(process_slug, budget_slug)
    projects = ballot_projects(budget)
    if seconds > 0:
        if len(_ballot_cache) > 1000:
            _ballot_cache.clear()
        _ballot_cache[key] = (time.monotonic() + seconds, process, budget, projects)
    return process, budget, projects


def ballot_cache_clear(**kwargs: Any) -> None:
    """Signal receiver: something a ballot shows or checks has changed."""
    _ballot_cache.clear()


def budget_get(process: BudgetProcess, slug: str) -> Budget:
    """A budget of `process` (from its prefetched budgets); 404 when it is not one of them."""
    for budget in process.budgets.all():
        if budget.slug == slug:
            return budget
    raise Http404


def ballot_statuses(process: BudgetProcess) -> tuple[str, ...]:
    """The statuses of the projects on the ballot, from the process's loaded phases.

    The rule of ProjectQuerySet.on_ballot() (a test holds them together) without its
    subquery, which costs more than the rest of a vote on a busy server: shortlisted
    projects when the process has a shortlist, else feasible and shortlisted ones, plus
    those already counted.
    """
    if process.has_phase(PhaseKind.SHORTLIST):
        return (ProjectStatus.SHORTLISTED, *VOTED_STATUSES)
    return (ProjectStatus.FEASIBLE, ProjectStatus.SHORTLISTED, *VOTED_STATUSES)


def ballot_projects(budget: Budget) -> list[Project]:
    """The projects a voter chooses from in `budget`, in title order (one query).

    Hidden projects (moderation) are left off the ballot; ballots already cast for them
    still count.
    """
    process = budget.process
    projects = list(
        Project.objects.filter(budget=budget, status__in=ballot_statuses(process)).visible().order_by("title", "pk")
    )
    for project in projects:
        project.process = process  # for their URLs, without a join
    return projects


def project_codes(projects: Iterable[Project]) -> dict[int, str]:
    """The public identifier of each project in ballot files (CSV of paper ballots, `.pb`).

    The Pabulib id of an imported project, else the first 8 hex digits of its public UUID
    (not its sequential id); the whole UUID when two projects would share a prefix.
    """
    items = list(projects)
    codes = {project.pk: project.external_id or project.public_id.hex[:8] for project in items}
    if len(set(codes.values())) != len(codes):
        codes = {project.pk: project.external_id or project.public_id.hex for project in items}
    return codes


def _date(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def voting_phase_refusal(process: BudgetProcess, now: datetime.datetime) -> Decision | None:
    """Why ballots cannot be cast or changed now (vote not open yet, or closed), else None."""
    phase = process.phase(PhaseKind.VOTING)
    if phase is None:
        return Decision(allowed=False, code="phase", reason=_("There is no vote on the platform in this process."))
    if phase.is_upcoming_at(now):
        return Decision(
            allowed=False, code="phase", reason=_("The vote opens on %(date)s.") % {"date": _date(phase.starts_at)}
        )
    if phase.is_finished_at(now):
        return Decision(
            allowed=False, code="phase", reason=_("The vote closed on %(date)s.") % {"date": _date(phase.ends_at)}
        )
    return None


def exclusive_budgets(process: BudgetProcess) -> list[Budget]:
    """The budgets among which a person votes in one only (ANY_ONE scope), else none."""
    return list(process.budgets.all()) if process.voting_scope == VotingScope.ANY_ONE else []


def vote_decision(
    process: BudgetProcess, budget: Budget | None, person: Any, now: datetime.datetime | None = None
) -> Decision:
    """May `person` vote (or change their vote) in `budget` now? With the reason when not.

    Checks, in the order a person would want to hear them: the vote is open, the person
    meets the process's policy (verification, district, age), the budget is one the
    voting scope gives them. Having already voted in this budget is not a refusal (they
    may change their ballot); having voted in another budget of an "any one" process is.
    A moderation block does not take the vote away: it suspends contributions, not rights.
    """
    now = now or timezone.now()
    refusal = voting_phase_refusal(process, now)
    if refusal is not None:
        return refusal
    decision = process.eligibility_policy().check(person, today=timezone.localdate(now))
    if not decision.allowed:
        return decision
    if budget is None:
        return Decision(allowed=True)
    if not may_vote_in(process, budget, person):
        if budget.district_id is not None:
            reason = _("The budget “%(budget)s” is reserved for residents of the %(district)s district.") % {
                "budget": budget.name,
                "district": budget.district.name,
            }
        else:
            reason = _("You may not vote in the budget “%(budget)s”.") % {"budget": budget.name}
        return Decision(allowed=False, code="scope", reason=reason)
    exclusive = exclusive_budgets(process)
    if exclusive:
        voted = voted_in(elections=exclusive, person=person) - {election_key(budget)}
        if voted:
            return Decision(
                allowed=False,
                code="voted_elsewhere",
                reason=_("In this process you vote in one budget only, and you have already voted in another one."),
            )
    return Decision(allowed=True)


def may_vote_in(process: BudgetProcess, budget: Budget, person: Any) -> bool:
    """Whether the voting scope gives `person` a vote in `budget`.

    The same answer as `budget in budgets_for_voter(process, person)` (a test holds them
    together), without loading the process's other budgets.
    """
    scope = process.voting_scope
    if scope in (VotingScope.ANY_ONE, VotingScope.ALL):
        return True
    district_id = getattr(person, "district_id", None) if getattr(person, "is_authenticated", False) else None
    if budget.district_id is not None and budget.district_id == district_id:
        return True
    return scope == VotingScope.OWN_DISTRICT_AND_CITYWIDE and budget.district_id is None


def voter_budgets(process: BudgetProcess, person: Any) -> list[tuple[Budget, bool]]:
    """The budgets `person` may vote in, each with whether they already voted there (one query)."""
    budgets = budgets_for_voter(process, person)
    voted = voted_in(elections=budgets, person=person) if budgets else set()
    return [(budget, election_key(budget) in voted) for budget in budgets]
