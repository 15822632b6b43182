"""Demo ballots for the finished "Budget participatif 2024" (budgets/demo.py), so that its
results page has a count to explain: 600 anonymous paper ballots whose greedy count funds
exactly the projects the demo marks as selected. Loading twice changes nothing.
"""

from __future__ import annotations

from budgets.models import Budget, ProjectStatus
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import Channel

PAST_SLUG = "budget-participatif-2024"
VOTERS = 600
# Approvals per project, most-supported first: winners first, then the two that did not fit.
WINNER_VOTES = (412, 371, 298, 236)
LOSER_VOTES = (254, 187, 121)


def _ballots(counts: list[tuple[int, int]]) -> list[dict[str, list[int]]]:
    """Spread each project's approvals over consecutive voters (at most 3 per ballot here)."""
    sheets: list[list[int]] = [[] for _ in range(VOTERS)]
    position = 0
    for project_id, count in counts:
        for _ in range(count):
            sheets[position % VOTERS].append(project_id)
            position += 1
    return [{"projects": sorted(sheet)} for sheet in sheets]


def load_demo(stdout) -> None:
    budget = Budget.objects.filter(process__slug=PAST_SLUG).select_related("process").first()
    if budget is None or ballots.ballots_for(budget).exists():
        return
    projects = list(budget.projects.order_by("-cost", "pk"))
    winners = [p for p in projects if p.status != ProjectStatus.NOT_SELECTED]
    losers = [p for p in projects if p.status == ProjectStatus.NOT_SELECTED]
    counts = list(zip((p.pk for p in winners), WINNER_VOTES, strict=False))
    counts += list(zip((p.pk for p in losers), LOSER_VOTES, strict=False))
    count = ballots.ballots_import(election=budget, choices=_ballots(counts), channel=Channel.PAPER, actor=None)
    stdout.write(f"Demo ballots: {count} paper ballots for “{budget.process.title}”")
